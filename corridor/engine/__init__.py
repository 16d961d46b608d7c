"""The SimPy model of one replication: the replication itself, services and resources, route choice, disruptions."""

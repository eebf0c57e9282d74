"""The Kafka cluster outside Faust: the topic catalogue, administration (waiting for the cluster,
creating topics), clients for the command line, security settings, status, the embedded broker."""

"""Running the whole stack on one machine: the Kafka broker and its topics, the supervisor
behind `monitor run`, the demo it loads, and the alert lines it prints."""

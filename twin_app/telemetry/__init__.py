"""Live feeds (MQTT, SL 651-2014 stations, replay), the durable store, thresholds and alarms."""

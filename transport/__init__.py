"""Transports: the outbox relay and the publishers that carry events to Kafka or the Dapr sidecar.

The domain knows topics and envelopes; this layer knows the clients that move them.
"""

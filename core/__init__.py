"""The bottom layer: typed settings, log format and correlation id, the ops HTTP server.

Every process needs these; they import nothing of ours, and every layer may import them.
"""

"""The recurring consumer: the next instance of a recurring task when one is completed."""

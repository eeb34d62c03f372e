"""Interpreter tuning for speed: the only place that touches the cyclic garbage collector.

Imports nothing of zdesk, so every layer may use it.
"""

"""The national indicator library and the engine that computes it monthly by council, team and
worker, with drill-down to the records behind every figure. Definitions live in ``definitions/``
(data); ``api`` is what the digest and web app call."""

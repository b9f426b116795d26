"""The synthetic council: a seeded simulation of children's journeys, workforce and staff survey,
written as canonical truth tables (Parquet) and, through the return writers, in every DfE format.

It only writes files: it never opens a store (docs/architecture.md)."""

"""Generated protobuf and gRPC code lives beside this package, under `sunshine/` (git-ignored).

Build it with `make proto`; the sources are in `proto/` at the repository root.
"""

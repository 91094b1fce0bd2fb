"""Synthetic people and the demo: generators (synth/), each capability's demo data, and the
``paritrana demo`` orchestration. It depends on every product app; no product app depends on it
(import-linter holds this), so nothing synthetic can reach production code paths."""

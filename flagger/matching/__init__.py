"""Candidate matching: a phrase index over normalised tokens, with per-token alternatives
(equivalents, inflections, typos) computed once per distinct token."""

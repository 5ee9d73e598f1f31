"""The test suite: one folder per stage of analyzer/, helpers in tests/helpers/, goldens in tests/cases/."""

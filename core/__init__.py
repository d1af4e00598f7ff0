"""Cross-cutting pieces shared by every layer: configuration, clock, i18n, time formatting."""

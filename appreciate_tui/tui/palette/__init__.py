"""The command palette: one provider per screen, its hints written from that screen's bindings."""

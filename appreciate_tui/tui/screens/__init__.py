"""The screens of the app, one module each; rare ones are imported only when opened."""

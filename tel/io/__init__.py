"""Files in and out: loaders, the plan file, the store, exports, personal links."""

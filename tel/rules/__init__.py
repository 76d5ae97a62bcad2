"""Each rule of the spec once, on plain integers (and int64 arrays where batches need them)."""

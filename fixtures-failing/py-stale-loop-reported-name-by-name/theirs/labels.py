def make_labels(ids, prefix):
    return [f"{prefix}{id_}" for id_ in ids]

def make_labels(ids, prefix="item-"):
    labels = []
    for i in range(count):
        labels.append(prefix + str(i))
    return labels

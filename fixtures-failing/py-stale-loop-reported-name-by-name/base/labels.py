def make_labels(count, prefix):
    labels = []
    for i in range(count):
        labels.append(prefix + str(i))
    return labels

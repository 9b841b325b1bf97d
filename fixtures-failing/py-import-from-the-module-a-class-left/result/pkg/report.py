from pkg.old import TheClass, read_rows


def summary(path):
    return TheClass(read_rows(path)).count()

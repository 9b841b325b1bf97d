from pkg import old


def summary(path):
    return old.TheClass(old.read_rows(path)).count()

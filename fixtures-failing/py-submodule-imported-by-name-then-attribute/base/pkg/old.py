import csv


def read_rows(path):
    with open(path) as handle:
        return list(csv.reader(handle))


class TheClass:
    def __init__(self, rows):
        self.rows = rows

    def count(self):
        return len(self.rows)

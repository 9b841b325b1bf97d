import csv


def read_rows(path):
    with open(path) as handle:
        return list(csv.reader(handle))

class TheClass:
    def __init__(self, rows):
        self.rows = rows

    def count(self):
        return len(self.rows)

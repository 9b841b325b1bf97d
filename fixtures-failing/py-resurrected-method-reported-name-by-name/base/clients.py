import json


class Client:
    def __init__(self, transport):
        self.transport = transport

    def send(self, payload):
        return self.transport.post(json.dumps(payload))


class BatchClient(Client):
    def flush(self, batch):
        return [self.send(item) for item in batch]

    def send(self, payload):
        if isinstance(payload, list):
            return self.transport.post_many(payload, callback=self.flush)
        return super().send(payload)

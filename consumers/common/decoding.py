"""Message bodies are structured-mode CloudEvents: JSON whatever the content-type header says.

FastStream decodes JSON only for `application/json`, and our relay sends
`application/cloudevents+json` (Dapr sends none), so the broker gets this decoder instead.
"""

from __future__ import annotations

import json
from typing import Any

from faststream.message import StreamMessage


async def decode_json_body(msg: StreamMessage[Any]) -> Any:
    # A body that is not JSON raises here, inside the retry middleware, and goes to the DLQ.
    return json.loads(msg.body)

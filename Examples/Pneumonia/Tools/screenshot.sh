#!/usr/bin/env bash
# Screenshot of `pneumonia serve`'s page after a real upload, for the README.
#
#   Examples/Pneumonia/Tools/screenshot.sh RUN_DIR [XRAY.jpeg] [OUT.png]
#
# Starts the server on a free 127.0.0.1 port, opens the page in headless Chromium, puts the
# X-ray in the page's file chooser through the DevTools protocol (DOM.setFileInputFiles), so
# the page's own code posts it to /api/v1/predict exactly as a person's upload would, waits for
# the prediction and the Grad-CAM overlay, and saves a full-page PNG (default:
# docs/images/serve.png). Needs Debian's `chromium` (apt-get install chromium) and python3;
# nothing else. Not used by CI.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
run=${1:?usage: screenshot.sh RUN_DIR [XRAY] [OUT.png]}
xray=${2:-${FATHOM_DATA:-$root/../shared/data}/chest_xray_val_original/PNEUMONIA/person1946_bacteria_4874.jpeg}
out=${3:-$root/docs/images/serve.png}
pneumonia=${PNEUMONIA_BIN:-$root/.build/release/pneumonia}
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}

[ -x "$pneumonia" ] || { echo "no pneumonia binary at $pneumonia: swift build -c release --product pneumonia (or set PNEUMONIA_BIN)" >&2; exit 1; }
[ -n "$chromium" ] || { echo "chromium not found: apt-get install chromium" >&2; exit 1; }
[ -f "$xray" ] || { echo "no X-ray at $xray" >&2; exit 1; }
mkdir -p "$(dirname "$out")"

work=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$pneumonia" serve --model "$run" --port 0 > "$work/server.log" 2>&1 &
server_pid=$!
url=
for _ in $(seq 1 300); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/server.log" | head -n 1 || true)
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { echo "the server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
echo "server at $url"

python3 - "$chromium" "$url/" "$xray" "$out" "$work/profile" <<'PY'
"""Drives headless Chromium over --remote-debugging-pipe (fd 3 in, fd 4 out; NUL-framed JSON)."""
import base64, json, os, subprocess, sys, time

chromium, url, xray, out, profile = sys.argv[1:6]
commands_r, commands_w = os.pipe()
replies_r, replies_w = os.pipe()

def child_fds():
    os.dup2(commands_r, 3)
    os.dup2(replies_w, 4)

browser = subprocess.Popen(
    [chromium, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--no-first-run",
     "--hide-scrollbars", "--force-color-profile=srgb", f"--user-data-dir={profile}", "about:blank"],
    pass_fds=(3, 4), preexec_fn=child_fds, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(commands_r)
os.close(replies_w)
pending, next_id = b"", 0

def send(method, params=None, session=None):
    """Sends a command and returns its result, skipping events."""
    global pending, next_id
    next_id += 1
    message = {"id": next_id, "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    os.write(commands_w, json.dumps(message).encode() + b"\0")
    while True:
        while b"\0" not in pending:
            chunk = os.read(replies_r, 1 << 20)
            if not chunk:
                sys.exit("chromium closed the pipe")
            pending += chunk
        raw, pending = pending.split(b"\0", 1)
        reply = json.loads(raw)
        if reply.get("id") == next_id:
            if "error" in reply:
                sys.exit(f"{method}: {reply['error']}")
            return reply.get("result", {})

def evaluate(expression, session):
    return send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)["result"].get("value")

def wait_for(expression, session, what, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = evaluate(expression, session)
        if value:
            return value
        time.sleep(0.2)
    sys.exit(f"timed out waiting for {what}")

try:
    target = send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    send("Emulation.setDeviceMetricsOverride", {"width": 1360, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session)
    send("Page.enable", {}, session)
    send("Page.navigate", {"url": url}, session)
    wait_for("document.readyState === 'complete' && document.getElementById('card-id').textContent.length > 0",
             session, "the page and its model card")
    root = send("DOM.getDocument", {}, session)["root"]["nodeId"]
    node = send("DOM.querySelector", {"nodeId": root, "selector": "#file"}, session)["nodeId"]
    send("DOM.setFileInputFiles", {"files": [os.path.abspath(xray)], "nodeId": node}, session)
    time.sleep(0.5)
    if evaluate("document.body.dataset.state", session) == "empty":  # older builds fire no change event
        evaluate("document.getElementById('file').dispatchEvent(new Event('change'))", session)
    state = wait_for("['done', 'error'].includes(document.body.dataset.state) && document.body.dataset.state",
                     session, "the prediction")
    if state != "done":
        sys.exit("the page shows an error: " + evaluate("document.getElementById('error').textContent", session))
    wait_for("['original', 'heatmap'].every(id => { const i = document.getElementById(id); return i.complete && i.naturalWidth > 0; })",
             session, "the images")
    time.sleep(0.6)  # the probability bar's transition
    height = evaluate("Math.ceil(document.documentElement.scrollHeight)", session)
    send("Emulation.setDeviceMetricsOverride", {"width": 1360, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
    time.sleep(0.3)
    shot = send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session)["data"]
    with open(out, "wb") as f:
        f.write(base64.b64decode(shot))
    print(f"wrote {out} (1360×{height}); the page says:",
          evaluate("document.getElementById('label').textContent + ', pneumonia probability ' + document.getElementById('probability').textContent", session))
finally:
    try:
        send("Browser.close")
    except SystemExit:
        pass
    browser.wait(timeout=30)
PY

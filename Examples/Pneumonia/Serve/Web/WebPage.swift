import Foundation
import Hummingbird

/// The page at `GET /`: choose or drop a chest X-ray, see it beside its Grad-CAM overlay, the
/// label, the pneumonia probability against the decision threshold, and the model card.
///
/// Plain HTML, CSS and JavaScript in Swift strings (``style``, ``script``): the binary is the
/// whole deployment, and the page loads nothing from elsewhere — the Content-Security-Policy
/// forbids it — so it works on an offline hospital or teaching network.
enum WebPage {
    /// The page for a server that accepts bodies up to `maxBodyBytes`.
    static func document(maxBodyBytes: Int) -> Data {
        Data(html.replacingOccurrences(of: "{{MAX_BODY}}", with: ByteCount(maxBodyBytes).description).utf8)
    }

    /// The page with its headers.
    static func response(_ document: Data) -> Response {
        var response = JSONResponse.raw(document, contentType: "text/html; charset=utf-8")
        response.headers[.cacheControl] = "no-cache"
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data: blob:; "
            + "style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }

    /// The document, with `{{MAX_BODY}}` for the upload limit.
    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Chest X-ray pneumonia classifier · Fathom</title>
        <style>\(style)</style>
        </head>
        <body data-state="empty">
        <header class="top">
          <div class="brand">
            <svg class="mark" viewBox="0 0 32 32" aria-hidden="true"><path d="M15 6v9c0 4-3 6-6 9-2 2-5 1-5-3 0-6 2-12 6-14 2-1 5-2 5-1zM17 6v9c0 4 3 6 6 9 2 2 5 1 5-3 0-6-2-12-6-14-2-1-5-2-5-1z"/></svg>
            <div>
              <h1>Chest X-ray pneumonia classifier</h1>
              <p class="sub" id="model-line">Fathom · loading model…</p>
            </div>
          </div>
          <div class="ruo" role="note"><strong>Research use only.</strong> Not a medical device: not for diagnosis or treatment decisions.</div>
        </header>

        <main>
          <section class="card viewer-card" aria-labelledby="xray-title">
            <div class="card-head">
              <h2 id="xray-title">X-ray</h2>
              <label class="button" for="file">Choose image…</label>
            </div>
            <input id="file" type="file" accept="image/png,image/jpeg,application/dicom,.dcm">
            <div id="drop" class="drop" tabindex="0" role="button" aria-label="Drop a chest X-ray here or choose a file">
              <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 16V4m0 0l-4 4m4-4l4 4M4 16v3a1 1 0 001 1h14a1 1 0 001-1v-3"/></svg>
              <p><strong>Drop a frontal chest X-ray here</strong> or choose a file</p>
              <p class="hint">PNG, JPEG or DICOM, any size, up to <span id="limit">{{MAX_BODY}}</span>. The image is sent only to this server.</p>
            </div>
            <div class="panes" id="panes">
              <figure>
                <div class="frame"><img id="original" alt="The uploaded X-ray"></div>
                <figcaption>Uploaded image <span id="dims" class="muted"></span></figcaption>
              </figure>
              <figure>
                <div class="frame"><img id="heatmap" alt="Grad-CAM overlay: where the network found its evidence"><div class="spinner" aria-hidden="true"></div></div>
                <figcaption><span>Grad-CAM <span class="muted" id="view-note">on the model's view</span></span>
                  <span class="scale" aria-hidden="true">low<i></i>high</span></figcaption>
              </figure>
            </div>
          </section>

          <section class="card result-card" aria-labelledby="result-title" aria-live="polite">
            <h2 id="result-title">Model output</h2>
            <div id="placeholder" class="placeholder">Choose an image to see the model's output.</div>
            <div id="error" class="error" role="alert"></div>
            <div id="result" class="result">
              <div class="verdict"><span id="label" class="label"></span><span id="verdict-text" class="verdict-text"></span></div>
              <div class="prob-row"><span>Pneumonia probability</span><strong id="probability"></strong></div>
              <div class="bar" role="img" id="bar">
                <div class="fill" id="fill"></div>
                <div class="threshold" id="threshold"><span id="threshold-label"></span></div>
              </div>
              <div class="ticks"><span>0</span><span>0.25</span><span>0.5</span><span>0.75</span><span>1</span></div>
              <dl class="facts">
                <dt>Decision threshold</dt><dd id="fact-threshold"></dd>
                <dt>At this threshold</dt><dd id="fact-operating"></dd>
                <dt>Processing time</dt><dd id="fact-latency"></dd>
                <dt>File</dt><dd id="fact-file"></dd>
                <dt>Request id</dt><dd id="fact-request" class="mono"></dd>
              </dl>
              <p class="caveat"><span id="calibration-note"></span> A radiologist's reading, the clinical picture and other tests decide.</p>
            </div>
          </section>

          <section class="card model-card" aria-labelledby="card-title">
            <div class="card-head"><h2 id="card-title">Model card</h2><span class="muted" id="card-id"></span></div>
            <div class="metrics" id="metrics"></div>
            <div class="card-cols">
              <dl class="details" id="details"></dl>
              <div>
                <h3>Intended use</h3><p id="intended"></p>
                <h3>Limitations</h3><ul id="limitations"></ul>
              </div>
            </div>
          </section>
        </main>
        <footer>Fathom · deep learning in Swift · API: <a href="/openapi.json">OpenAPI</a> · <a href="/api/v1/model">model card JSON</a> · <a href="/healthz">health</a></footer>
        <script>\(script)</script>
        </body>
        </html>
        """
}

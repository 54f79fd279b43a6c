extension WebPage {
    /// The page's behaviour: load the model card, take a file (chooser or drop), show it at
    /// once, post it to `/api/v1/predict?heatmap=1` as the raw body and show the answer.
    /// `body[data-state]` is `empty`, `loading`, `done` or `error` (the screenshot script
    /// waits on it).
    static let script = #"""
        "use strict";
        const $ = (id) => document.getElementById(id);
        const fmt = (x, digits = 3) => (typeof x === "number" && isFinite(x)) ? x.toFixed(digits) : "—";
        const pct = (x) => (typeof x === "number" && isFinite(x)) ? (100 * x).toFixed(1) + "%" : "—";
        let card = null, objectURL = null;

        function setState(state) { document.body.dataset.state = state; }
        function text(id, value) { $(id).textContent = value; }

        async function loadCard() {
          try {
            const response = await fetch("/api/v1/model");
            card = await response.json();
          } catch (e) {
            text("model-line", "Fathom · model card unavailable");
            return;
          }
          const v = card.validation || {};
          text("model-line", `Fathom · ${card.architecture} · input ${card.input.size}×${card.input.size} · threshold ${fmt(card.threshold, 2)}`);
          text("card-id", card.id);
          text("view-note", `on the model's ${card.input.size}×${card.input.size} view (${card.input.geometry === "stretch" ? "stretched" : "centre-cropped"} to a square)`);
          const tiles = [["ROC AUC", fmt(v.auc)], ["Sensitivity", pct(v.sensitivity)], ["Specificity", pct(v.specificity)],
                         ["Accuracy", pct(v.accuracy)], ["F1", fmt(v.f1)], ["Validation images", v.n ? String(v.n) : "—"]];
          const metrics = $("metrics");
          metrics.replaceChildren(...tiles.map(([name, value]) => {
            const tile = document.createElement("div");
            tile.className = "metric";
            tile.append(Object.assign(document.createElement("b"), { textContent: value }),
                        Object.assign(document.createElement("span"), { textContent: name }));
            return tile;
          }));
          const minutes = card.training_seconds / 60;
          const rows = [
            ["Architecture", `${card.architecture} (${card.parameters.toLocaleString("en")} parameters)`],
            ["Input", `${card.input.size}×${card.input.size} px, ${card.input.channels === 1 ? "grayscale" : "RGB"}, ${card.input.geometry}`],
            ["Training data", card.training_data],
            ["Training", `best epoch ${card.best_epoch} of ${card.epochs_completed}, ${minutes < 1 ? Math.round(card.training_seconds) + " s" : minutes.toFixed(1) + " min"}`],
            ["Decision threshold", `${fmt(card.threshold)}: ${card.threshold_rule}`],
            ["Metrics", `validation split at the decision threshold, n = ${v.n ?? "—"}`],
            ["Created", card.created],
          ];
          $("details").replaceChildren(...rows.flatMap(([name, value]) => [
            Object.assign(document.createElement("dt"), { textContent: name }),
            Object.assign(document.createElement("dd"), { textContent: value }),
          ]));
          text("intended", card.intended_use);
          $("limitations").replaceChildren(...card.limitations.map((item) => Object.assign(document.createElement("li"), { textContent: item })));
        }

        async function predict(file) {
          if (!file) return;
          $("result").classList.toggle("stale", document.body.dataset.state === "done");
          setState("loading");
          if (objectURL) URL.revokeObjectURL(objectURL);
          objectURL = URL.createObjectURL(file);
          const original = $("original");
          original.onload = () => text("dims", `${original.naturalWidth}×${original.naturalHeight}`);
          original.src = objectURL;
          text("dims", "");
          $("heatmap").removeAttribute("src");
          let response, body;
          try {
            response = await fetch("/api/v1/predict?heatmap=1", {
              method: "POST", body: file, headers: { "Content-Type": file.type || (/\.dcm$/i.test(file.name || "") ? "application/dicom" : "application/octet-stream") },
            });
            body = await response.json();
          } catch (e) {
            return showError("The server could not be reached", String(e));
          }
          if (!response.ok) return showError(`The image was refused (${response.status} ${body.error || ""})`, body.detail || "");
          showResult(file, body, response.headers.get("X-Request-ID"));
        }

        function showResult(file, p, requestID) {
          const above = p.probability >= p.threshold;
          const label = $("label");
          label.textContent = p.label;
          label.className = "label " + p.label;
          text("verdict-text", above
            ? `Probability at or above the threshold of ${fmt(p.threshold, 2)}: the model calls this image ${p.label}.`
            : `Probability below the threshold of ${fmt(p.threshold, 2)}: the model calls this image ${p.label}.`);
          text("probability", fmt(p.probability));
          const fill = $("fill");
          fill.className = "fill " + p.label;
          fill.style.width = (100 * Math.min(Math.max(p.probability, 0), 1)) + "%";
          $("threshold").style.left = `calc(${100 * p.threshold}% - 1px)`;
          text("threshold-label", `threshold ${fmt(p.threshold, 2)}`);
          $("bar").setAttribute("aria-label", `pneumonia probability ${fmt(p.probability)} against threshold ${fmt(p.threshold)}`);
          text("fact-threshold", `${fmt(p.threshold)}${card ? " · " + card.threshold_rule : ""}`);
          text("calibration-note", p.calibrated
            ? `The probability is calibrated on the validation split (${card && card.calibration ? card.calibration.method + " scaling" : "calibrated"}): among validation X-rays given about this value, about that share had pneumonia. Other hospitals' images may differ.`
            : "The probability is the network's raw score, not a calibrated risk.");
          const v = (card && card.validation) || {};
          text("fact-operating", `sensitivity ${pct(v.sensitivity)}, specificity ${pct(v.specificity)} on validation`);
          text("fact-latency", `${p.latency_ms.toFixed(0)} ms on the server`);
          text("fact-file", `${file.name || "pasted image"} · ${(file.size / 1024).toFixed(0)} kB`);
          text("fact-request", requestID || "—");
          if (p.heatmap_png_base64) $("heatmap").src = "data:image/png;base64," + p.heatmap_png_base64;
          setState("done");
        }

        function showError(title, detail) {
          const box = $("error");
          box.replaceChildren(Object.assign(document.createElement("strong"), { textContent: title }), document.createTextNode(detail));
          setState("error");
        }

        const drop = $("drop"), input = $("file");
        input.addEventListener("change", () => predict(input.files[0]));
        drop.addEventListener("click", () => input.click());
        drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.click(); } });
        for (const type of ["dragenter", "dragover"]) {
          drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add("over"); });
        }
        for (const type of ["dragleave", "drop"]) {
          drop.addEventListener(type, () => drop.classList.remove("over"));
        }
        drop.addEventListener("drop", (e) => { e.preventDefault(); predict(e.dataTransfer.files[0]); });
        window.addEventListener("dragover", (e) => e.preventDefault());
        window.addEventListener("drop", (e) => e.preventDefault());
        loadCard();
        """#
}

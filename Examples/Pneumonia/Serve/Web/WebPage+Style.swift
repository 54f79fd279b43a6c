extension WebPage {
    /// The style sheet: a calm clinical palette, dark viewing panes as in a PACS viewer, red
    /// and green kept for the verdict alone.
    static let style = #"""
        :root {
          --bg: #f3f5f8; --card: #ffffff; --ink: #18212f; --muted: #5b6677; --line: #e1e6ee;
          --navy: #1d3557; --accent: #2563a8; --pneu: #b42318; --pneu-bg: #fef3f2;
          --norm: #067647; --norm-bg: #ecfdf3; --amber: #93370d; --amber-bg: #fffaeb; --amber-line: #fedf89;
          --radius: 12px; --shadow: 0 1px 2px rgba(16,24,40,.06), 0 1px 3px rgba(16,24,40,.1);
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; background: var(--bg); color: var(--ink);
          font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Liberation Sans", Arial, sans-serif; }
        h1, h2, h3 { margin: 0; line-height: 1.25; }
        h1 { font-size: 20px; font-weight: 650; }
        h2 { font-size: 15px; font-weight: 650; letter-spacing: .02em; text-transform: uppercase; color: var(--muted); }
        h3 { font-size: 14px; font-weight: 650; margin: 14px 0 4px; }
        a { color: var(--accent); }
        .muted { color: var(--muted); font-weight: 400; }
        .mono { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12.5px; }

        .top { display: flex; align-items: center; justify-content: space-between; gap: 24px; flex-wrap: wrap;
          padding: 16px 32px; background: var(--navy); color: #fff; }
        .brand { display: flex; align-items: center; gap: 14px; }
        .mark { width: 36px; height: 36px; fill: #9cc3f0; }
        .sub { margin: 2px 0 0; color: #c9d6e8; font-size: 13px; }
        .ruo { background: var(--amber-bg); color: var(--amber); border: 1px solid var(--amber-line); border-radius: 8px;
          padding: 8px 14px; font-size: 13.5px; max-width: 520px; }

        main { max-width: 1240px; margin: 24px auto; padding: 0 24px; display: grid; gap: 20px;
          grid-template-columns: minmax(0, 1.55fr) minmax(300px, 1fr); }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow);
          padding: 20px 22px; }
        .card-head { display: flex; align-items: center; justify-content: space-between; gap: 12px; margin-bottom: 14px; }
        .model-card { grid-column: 1 / -1; }

        .button { display: inline-block; background: var(--accent); color: #fff; border-radius: 8px; padding: 7px 14px;
          font-weight: 600; font-size: 14px; cursor: pointer; }
        .button:hover { background: #1d4f88; }
        #file { position: absolute; width: 1px; height: 1px; opacity: 0; pointer-events: none; }

        .drop { border: 2px dashed #b7c3d4; border-radius: var(--radius); background: #f8fafc; text-align: center;
          padding: 44px 20px; cursor: pointer; transition: background .15s, border-color .15s; }
        .drop svg { width: 40px; height: 40px; stroke: var(--accent); fill: none; stroke-width: 1.6;
          stroke-linecap: round; stroke-linejoin: round; }
        .drop p { margin: 6px 0 0; }
        .drop .hint { color: var(--muted); font-size: 13px; }
        .drop.over, .drop:focus-visible { background: #eef4fc; border-color: var(--accent); outline: none; }
        body:not([data-state="empty"]) .drop { padding: 10px 16px; display: flex; align-items: center; gap: 12px; text-align: left; }
        body:not([data-state="empty"]) .drop svg { width: 22px; height: 22px; }
        body:not([data-state="empty"]) .drop p { margin: 0; }
        body:not([data-state="empty"]) .drop .hint { display: none; }

        .panes { display: none; grid-template-columns: 1fr 1fr; gap: 14px; margin-top: 14px; }
        body:not([data-state="empty"]) .panes { display: grid; }
        figure { margin: 0; }
        .frame { position: relative; aspect-ratio: 1; background: #0b0f14; border-radius: 10px; overflow: hidden;
          display: flex; align-items: center; justify-content: center; }
        .frame img { max-width: 100%; max-height: 100%; object-fit: contain; display: block; }
        .frame img:not([src]) { display: none; }
        figcaption { font-size: 13px; margin-top: 6px; display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
        .scale { display: inline-flex; align-items: center; gap: 5px; color: var(--muted); font-size: 12px; margin-left: auto; }
        .scale i { display: inline-block; width: 64px; height: 8px; border-radius: 4px;
          background: linear-gradient(90deg, #0d1a99, #00bfe6, #ffe61a, #e61a0d); }
        .spinner { display: none; position: absolute; width: 34px; height: 34px; border-radius: 50%;
          border: 3px solid rgba(255,255,255,.25); border-top-color: #fff; animation: spin .8s linear infinite; }
        body[data-state="loading"] .spinner { display: block; }
        body[data-state="loading"] #heatmap { opacity: .25; }
        @keyframes spin { to { transform: rotate(360deg); } }

        .result-card h2 { margin-bottom: 14px; }
        .placeholder { color: var(--muted); border: 1px dashed var(--line); border-radius: 10px; padding: 28px 16px; text-align: center; }
        .result, .error { display: none; }
        body[data-state="done"] .result, body[data-state="loading"] .result.stale { display: block; }
        body[data-state="error"] .error { display: block; }
        body:not([data-state="empty"]) .placeholder { display: none; }
        .error { background: var(--pneu-bg); color: var(--pneu); border: 1px solid #fecdca; border-radius: 10px; padding: 12px 14px; }
        .error strong { display: block; }

        .verdict { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; margin-bottom: 18px; }
        .label { font-size: 26px; font-weight: 750; letter-spacing: .03em; padding: 4px 14px; border-radius: 8px; }
        .label.PNEUMONIA { color: var(--pneu); background: var(--pneu-bg); border: 1px solid #fecdca; }
        .label.NORMAL { color: var(--norm); background: var(--norm-bg); border: 1px solid #abefc6; }
        .verdict-text { color: var(--muted); font-size: 13.5px; flex: 1 1 160px; }
        .prob-row { display: flex; justify-content: space-between; align-items: baseline; }
        .prob-row strong { font-size: 30px; font-variant-numeric: tabular-nums; }
        .bar { position: relative; height: 14px; border-radius: 7px; background: #e9edf3; margin: 34px 0 6px; }
        .fill { position: absolute; inset: 0 auto 0 0; border-radius: 7px; background: var(--accent); width: 0; transition: width .4s; }
        .fill.PNEUMONIA { background: linear-gradient(90deg, #f97066, var(--pneu)); }
        .fill.NORMAL { background: linear-gradient(90deg, #47cd89, var(--norm)); }
        .threshold { position: absolute; top: -7px; bottom: -7px; width: 2px; background: var(--ink); }
        .threshold span { position: absolute; top: -22px; transform: translateX(-50%); white-space: nowrap; font-size: 12px;
          font-weight: 600; background: var(--card); padding: 0 4px; }
        .ticks { display: flex; justify-content: space-between; font-size: 11.5px; color: var(--muted); margin-bottom: 16px; }
        .facts, .details { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 0; font-size: 13.5px;
          align-content: start; }
        dt { color: var(--muted); }
        dd { margin: 0; overflow-wrap: anywhere; }
        .caveat { font-size: 12.5px; color: var(--muted); border-top: 1px solid var(--line); padding-top: 10px; margin: 16px 0 0; }

        .metrics { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 12px; margin-bottom: 18px; }
        .metric { border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; background: #fafbfd; }
        .metric b { display: block; font-size: 22px; font-variant-numeric: tabular-nums; }
        .metric span { font-size: 12.5px; color: var(--muted); }
        .card-cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.2fr); gap: 28px; }
        .card-cols h3:first-child { margin-top: 0; }
        .card-cols p { margin: 0; font-size: 13.5px; }
        .card-cols ul { margin: 0; padding-left: 18px; font-size: 13.5px; }
        .card-cols li { margin-bottom: 4px; }
        footer { text-align: center; color: var(--muted); font-size: 12.5px; padding: 4px 0 28px; }

        @media (max-width: 900px) {
          main { grid-template-columns: 1fr; }
          .card-cols { grid-template-columns: 1fr; }
          .top { padding: 14px 18px; }
        }
        """#
}

/// The dashboard's one script, served at `/assets/live.js` from this string (nothing is fetched from
/// elsewhere): it opens the page's event stream (`data-events` on `<body>`) and applies each event. Rows
/// and the status line arrive as HTML the server rendered and escaped; everything else is set as text.
///
/// On a study page, a `trial` event replaces the trial's row if the page shows it, or inserts it at the
/// top when the table lists the newest trials first (and the state filter, if any, matches); `metrics`
/// events update a row's epochs and latest value; `summary` replaces the status line and the state
/// filter's counts. On a trial page
/// (`data-trial`), `metrics` events add or fill rows (and columns) of the values-per-epoch table and `trial` events
/// update the state and score. The status badge says whether the stream is live.
enum LiveScript {
    /// The script's text.
    static let source = #"""
        "use strict";
        (function () {
          var body = document.body;
          var url = body.getAttribute("data-events");
          if (!url || !window.EventSource) { return; }
          var trialPage = body.hasAttribute("data-trial") ? Number(body.getAttribute("data-trial")) : null;
          var status = document.getElementById("live-status");
          function setStatus(text, kind) {
            if (!status) { return; }
            status.textContent = text;
            status.className = "live" + (kind ? " " + kind : "");
          }
          function parse(event) {
            try { return JSON.parse(event.data); } catch (e) { return null; }
          }
          function fromHTML(html) {
            var template = document.createElement("template");
            template.innerHTML = html;
            return template.content.firstElementChild;
          }
          function rowOf(number) {
            return document.getElementById("trial-" + number);
          }
          function setCell(row, column, text) {
            var cells = row.querySelectorAll("td[data-col]");
            for (var i = 0; i < cells.length; i++) {
              if (cells[i].getAttribute("data-col") === column) { cells[i].textContent = text; }
            }
          }
          var source = new EventSource(url);
          source.addEventListener("open", function () { setStatus("live", "on"); });
          source.addEventListener("error", function () {
            setStatus(source.readyState === EventSource.CLOSED ? "not live" : "reconnecting…", "off");
          });
          source.addEventListener("cursor", function () { setStatus("live", "on"); });
          source.addEventListener("problem", function (event) {
            var data = parse(event);
            setStatus("storage not readable, retrying", "off");
            if (status && data) { status.title = data.message; }
          });
          source.addEventListener("reload", function (event) {
            var data = parse(event);
            source.close();
            setStatus("stopped: reload the page", "off");
            if (status && data) { status.title = data.message; }
          });
          source.addEventListener("note", function (event) {
            var data = parse(event);
            var note = document.getElementById("study-note");
            if (!data || !note || typeof data.text !== "string") { return; }
            // Text, never markup: the note is the user's.
            note.textContent = data.text === "" ? "No note." : data.text;
            note.className = data.text === "" ? "note" : "study-note";
          });
          source.addEventListener("summary", function (event) {
            var data = parse(event);
            var line = document.getElementById("live-summary");
            if (!data || !line) { return; }
            var fresh = document.createElement("p");
            fresh.id = "live-summary";
            var template = document.createElement("template");
            template.innerHTML = data.html;
            fresh.appendChild(template.content);
            line.replaceWith(fresh);
            var counts = document.querySelectorAll("span[data-count]");
            for (var i = 0; i < counts.length; i++) {
              var value = data.counts && data.counts[counts[i].getAttribute("data-count")];
              if (typeof value === "number") { counts[i].textContent = String(value); }
            }
          });
          source.addEventListener("trial", function (event) {
            var data = parse(event);
            if (!data) { return; }
            if (trialPage !== null) {
              if (data.number !== trialPage) { return; }
              var badge = document.getElementById("trial-state");
              if (badge) {
                badge.textContent = data.state;
                badge.className = "state " + data.state.toLowerCase();
              }
              var score = document.getElementById("trial-score");
              if (score && data.score !== "") { score.textContent = data.score; }
              var epochs = document.getElementById("trial-epochs");
              if (epochs) { epochs.textContent = String(data.epochs); }
              var note = document.getElementById("trial-changed");
              if (note && data.state !== "RUNNING" && data.state !== "WAITING") { note.hidden = false; }
              return;
            }
            if (!data.row) { return; }
            var row = fromHTML(data.row);
            if (!row) { return; }
            row.className = "fresh";
            var old = rowOf(data.number);
            if (old) { old.replaceWith(row); return; }
            var table = document.getElementById("trials-table");
            if (!table || table.getAttribute("data-insert") !== "top") { return; }
            var filter = table.getAttribute("data-state-filter");
            if (filter && filter !== data.state) { return; }
            var tbody = table.tBodies[0];
            var rows = tbody.rows;
            var before = null;
            for (var i = 0; i < rows.length; i++) {
              if (Number(rows[i].getAttribute("data-number")) < data.number) { before = rows[i]; break; }
            }
            tbody.insertBefore(row, before);
            var empty = document.getElementById("no-trials");
            if (empty) { empty.remove(); }
          });
          source.addEventListener("metrics", function (event) {
            var data = parse(event);
            if (!data) { return; }
            if (trialPage === null) {
              var row = rowOf(data.number);
              if (!row) { return; }
              setCell(row, "epochs", String(data.epochs));
              setCell(row, "latest", data.latest);
              return;
            }
            if (data.number !== trialPage) { return; }
            var epochs = document.getElementById("trial-epochs");
            if (epochs) { epochs.textContent = String(data.epochs); }
            var table = document.getElementById("epochs-table");
            if (!table) { return; }
            var headers = table.tHead.rows[0].cells;
            var names = [];
            for (var h = 1; h < headers.length; h++) { names.push(headers[h].getAttribute("data-metric")); }
            var tbody = table.tBodies[0];
            data.points.forEach(function (point) {
              var column = names.indexOf(point.name);
              if (column < 0) {
                // A metric the page has no column for yet: add one.
                var th = document.createElement("th");
                th.setAttribute("data-metric", point.name);
                th.textContent = point.name;
                table.tHead.rows[0].appendChild(th);
                names.push(point.name);
                column = names.length - 1;
                for (var r = 0; r < tbody.rows.length; r++) {
                  var filler = document.createElement("td");
                  filler.className = "num";
                  tbody.rows[r].appendChild(filler);
                }
              }
              var target = null, before = null;
              for (var i = 0; i < tbody.rows.length; i++) {
                var step = Number(tbody.rows[i].getAttribute("data-step"));
                if (step === point.step) { target = tbody.rows[i]; break; }
                if (step > point.step) { before = tbody.rows[i]; break; }
              }
              if (!target) {
                target = document.createElement("tr");
                target.setAttribute("data-step", String(point.step));
                target.className = "fresh";
                for (var c = 0; c <= names.length; c++) {
                  var cell = document.createElement("td");
                  cell.className = "num";
                  target.appendChild(cell);
                }
                target.cells[0].textContent = String(point.step + 1);
                tbody.insertBefore(target, before);
              }
              target.cells[column + 1].textContent = point.value;
            });
          });
        })();
        """#
}

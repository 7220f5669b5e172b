import Reports

/// The frame of every page: the document head (the report's style sheet plus the dashboard's own), a
/// header with the way back to the list of studies, and, on live pages, the live script and the address
/// of the page's event stream. No inline script: the Content-Security-Policy the server sends allows
/// scripts from the dashboard itself only.
enum PageLayout {
    /// A whole HTML document. `title` and the breadcrumb labels are plain text (escaped here); `main` is
    /// HTML already escaped by the page that made it. `events` (a path) makes the page live.
    static func document(title: String, breadcrumbs: [(label: String, href: String?)], main: String,
                         events: String? = nil, trialNumber: Int? = nil) -> String {
        var attributes = ""
        if let events { attributes += " data-events=\"\(Escape.html(events))\"" }
        if let trialNumber { attributes += " data-trial=\"\(trialNumber)\"" }
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="tuner dashboard">
            <link rel="icon" href="data:,">
            <title>\(Escape.html(title)) — tuner dashboard</title>
            <style>\(HTMLReport.styleSheet)\(css)</style>
            """
        if events != nil { html += "\n<script src=\"\(DashboardPaths.liveScript)\" defer></script>" }
        html += "\n</head>\n<body\(attributes)>\n<header><p class=\"crumbs\">"
        html += breadcrumbs.map { crumb in
            crumb.href.map { "<a href=\"\(Escape.html($0))\">\(Escape.html(crumb.label))</a>" } ?? Escape.html(crumb.label)
        }.joined(separator: " › ")
        if events != nil { html += " <span id=\"live-status\" class=\"live\">connecting…</span>" }
        html += "</p><h1>\(Escape.html(title))</h1></header>\n<main>\n\(main)</main>\n"
        html += "<footer>tuner dashboard · a view of the study storage</footer>\n</body>\n</html>\n"
        return html
    }

    /// The dashboard's additions to the report's style sheet.
    static let css = """
        .crumbs{margin:0 0 4px;color:#57606a}
        .crumbs a{color:#0969da;text-decoration:none}
        .live{display:inline-block;margin-left:12px;padding:0 8px;border-radius:10px;font-size:12px;background:#eaeef2;color:#57606a}
        .live.on{background:#dafbe1;color:#116329}
        .live.off{background:#ffebe9;color:#a40e26}
        table.list{width:100%}
        table.list td.num,table.list th.num{text-align:right}
        table.list a{color:#0969da;text-decoration:none}
        th a{color:inherit;text-decoration:none}
        th a.sorted{color:#0969da}
        tr.fresh td{animation:fresh 2s ease-out}
        @keyframes fresh{from{background:#fff8c5}to{background:transparent}}
        .filters{margin:4px 0 10px}
        .filters a{display:inline-block;border:1px solid #d0d7de;border-radius:12px;padding:0 9px;margin:2px 3px;font-size:13px;color:#1f2328;text-decoration:none}
        .filters a.on{background:#0969da;border-color:#0969da;color:#fff}
        .pages{margin:10px 0 0}
        .pages a,.pages span{margin-right:10px}
        .pages a{color:#0969da;text-decoration:none}
        .note{color:#57606a;font-size:13px}
        .problem{border-left:4px solid #cf222e}
        pre.error{white-space:pre-wrap;overflow-wrap:anywhere;color:#a40e26;margin:0}
        .infeasible{color:#a40e26}
        .charts figure.small{flex:0 1 480px}
        .study-note{white-space:pre-wrap;overflow-wrap:anywhere;border-left:4px solid #d0d7de;padding:2px 10px;margin:6px 0}
        form.steer{margin:6px 0 12px}
        form.steer textarea{width:100%;max-width:720px;font:inherit}
        form.steer label{display:inline-block;margin:3px 14px 3px 0}
        form.steer button{margin-top:4px}
        """
}

import Hummingbird

/// Turns every failure of a handler — a `DashboardProblem`, a storage error, the router's "not found" —
/// into an HTML error page with the matching status, and adds `SecurityHeaders` to every response. A
/// request can therefore get a 4xx or 5xx page, never a crash or an empty reply.
struct ProblemPages<Context: RequestContext>: RouterMiddleware {
    /// The storage as it may be shown in messages.
    let location: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            response = Self.page(.pageNotFound)
        } catch {
            response = Self.page(DashboardProblem(error, location: location))
        }
        SecurityHeaders.add(to: &response.headers)
        return response
    }

    /// The error page of `problem` as a response.
    static func page(_ problem: DashboardProblem) -> Response {
        HTMLResponse.make(ErrorPage.html(problem), status: problem.status)
    }
}

/// HTML responses.
enum HTMLResponse {
    /// `html` as a `text/html` response, not cached (pages show a store that changes).
    static func make(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let buffer = ByteBuffer(string: html)
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }
}

import Foundation
import PneumoniaServe
import Testing

/// The service's other routes over real HTTP: the OpenAPI document matches the routes, the page
/// is self-contained, the model card and health reflect the run, and every request is logged
/// with an id that is echoed to the client.
@Suite struct ServeRoutesTests {
    @Test func openAPIDocumentsExactlyTheRoutesAndEachAnswers() async throws {
        let server = try await ServeTestServer.start()
        let reply = try await server.send("GET", "/openapi.json")
        #expect(reply.status == 200)
        let document = try reply.json()
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        #expect(documented == Set(PredictionServer.routes.map(\.description)))

        let jpeg = try Data(contentsOf: ServeFixture.xray())
        for operation in documented.sorted() {
            let parts = operation.split(separator: " ").map(String.init)
            let answer = parts[0] == "POST"
                ? try await server.send("POST", parts[1], body: jpeg, contentType: "image/jpeg")
                : try await server.send(parts[0], parts[1])
            #expect(answer.status == 200, "\(operation) answered \(answer.status)")
        }
        // Every schema reference resolves.
        let text = String(decoding: reply.body, as: UTF8.self)
        let components = try #require(document["components"] as? [String: [String: Any]])
        for match in text.matches(of: /"#\/components\/(\w+)\/(\w+)"/) {
            #expect(components[String(match.1)]?[String(match.2)] != nil, "dangling reference \(match.0)")
        }
        await server.stop()
    }

    @Test func pageIsSelfContainedAndLoadsNothingFromElsewhere() async throws {
        let server = try await ServeTestServer.start { $0.maxBodyBytes = 7_000_000 }
        let reply = try await server.send("GET", "/")
        let head = try await server.send("HEAD", "/")
        await server.stop()

        #expect(reply.status == 200)
        #expect(reply.header("Content-Type") == "text/html; charset=utf-8")
        #expect(reply.header("Content-Security-Policy")?.contains("default-src 'self'") == true)
        let html = String(decoding: reply.body, as: UTF8.self)
        for piece in ["<input id=\"file\" type=\"file\" accept=\"image/png,image/jpeg,application/dicom,.dcm\">", "/api/v1/predict?heatmap=1",
                      "calibration-note", "application/dicom",
                      "/api/v1/model", "Research use only", "Not a medical device", "up to <span id=\"limit\">7 MB</span>"] {
            #expect(html.contains(piece), "the page lacks \(piece)")
        }
        // No script, style sheet, font or image from another origin.
        #expect(html.firstMatch(of: /(src|href)\s*=\s*["']?(https?:)?\/\//) == nil)
        #expect(!html.contains("@import") && !html.contains("url(http"))
        #expect(head.status == 200 && head.body.isEmpty)
    }

    @Test func modelCardAndHealthReflectTheRun() async throws {
        let classifier = try ServeFixture.classifier()
        let server = try await ServeTestServer.start()
        let card = try await server.send("GET", "/api/v1/model").json()
        let health = try await server.send("GET", "/healthz").json()
        await server.stop()

        // The fixture's run.json, as written by the test support.
        #expect(card["architecture"] as? String == "compact-cnn")
        #expect(card["classes"] as? [String] == ["NORMAL", "PNEUMONIA"])
        #expect(card["positive_class"] as? String == "PNEUMONIA")
        #expect(card["threshold"] as? Double == 0.4)
        #expect(card["threshold_rule"] as? String == "Youden's J on validation")
        #expect(card["training_data"] as? String == "a test fixture")
        #expect(card["best_epoch"] as? Int == 3 && card["epochs_completed"] as? Int == 5)
        #expect(card["parameters"] as? Int == classifier.model.parameterCount)
        #expect(card["heatmap"] as? Bool == true)
        let validation = try #require(card["validation"] as? [String: Double])
        #expect(validation["auc"] == 0.91 && validation["n"] == 524)
        let input = try #require(card["input"] as? [String: Any])
        #expect(input["size"] as? Int == 64 && input["geometry"] as? String == "stretch")
        #expect((card["intended_use"] as? String)?.contains("not a medical device") == true)
        #expect((card["limitations"] as? [String])?.isEmpty == false)

        #expect(health["status"] as? String == "ok")
        #expect(health["model"] as? String == card["id"] as? String)
        #expect(health["admitted_predictions"] as? Int == 0)
    }

    @Test func everyRequestIsLoggedWithItsIDAndTheIDIsEchoed() async throws {
        let logs = LogCapture()
        let server = try await ServeTestServer.start(logs: logs)
        let traced = try await server.send("GET", "/healthz", headers: ["X-Request-ID": "trace-42.a"])
        let implausible = try await server.send("GET", "/api/v1/model", headers: ["X-Request-ID": "two words"])
        let missing = try await server.send("GET", "/nowhere")
        await server.stop()

        #expect(traced.header("X-Request-ID") == "trace-42.a")
        let generated = try #require(implausible.header("X-Request-ID"))
        #expect(generated != "two words" && !generated.isEmpty)
        let generatedForMissing = try #require(missing.header("X-Request-ID"))
        #expect(generatedForMissing != generated)

        let requests = logs.store.events.filter { $0.message == "request" }
        #expect(requests.count == 3)
        func line(_ id: String) -> [String: String]? {
            requests.first { $0.metadata["request_id"]?.description == id }?.metadata.mapValues(\.description)
        }
        #expect(line("trace-42.a")?["path"] == "/healthz" && line("trace-42.a")?["status"] == "200")
        #expect(line(generated)?["path"] == "/api/v1/model")
        #expect(line(generatedForMissing)?["status"] == "404")
    }
}

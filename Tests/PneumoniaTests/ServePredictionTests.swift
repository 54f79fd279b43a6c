import Foundation
import PneumoniaKit
import PneumoniaServe
import Testing
import Vision

/// `POST /api/v1/predict` over real HTTP: the server gives exactly what the library (and so
/// `pneumonia predict`) gives, for raw and multipart uploads, with and without the heat map,
/// one request or sixteen at once.
@Suite struct ServePredictionTests {
    /// The probability `pneumonia predict` prints for a file.
    func expectedProbability(_ url: URL) throws -> Float {
        try ServeFixture.classifier().probability(of: Image(contentsOf: url))
    }

    @Test func rawJPEGGetsTheProbabilityPredictPrints() async throws {
        let xray = try ServeFixture.xray()
        let expected = try expectedProbability(xray)
        let server = try await ServeTestServer.start()
        let reply = try await server.send("POST", "/api/v1/predict", body: Data(contentsOf: xray), contentType: "image/jpeg")
        await server.stop()

        #expect(reply.status == 200)
        #expect(reply.header("Content-Type") == "application/json")
        let json = try reply.json()
        let probability = try #require(json["probability"] as? Double)
        #expect(Float(probability) == expected)
        #expect(json["threshold"] as? Double == 0.4)  // the fixture's metadata
        #expect(json["label"] as? String == (Float(probability) >= 0.4 ? "PNEUMONIA" : "NORMAL"))
        #expect(json["model"] as? String == "compact-cnn@2026-01-02T03:04:05Z")
        #expect((json["latency_ms"] as? Double).map { $0 >= 0 } == true)
        #expect(json["heatmap_png_base64"] == nil)
        #expect(reply.header("X-Request-ID")?.isEmpty == false)
    }

    @Test func pngAndMultipartUploadsGiveTheSameAnswer() async throws {
        let xray = try ServeFixture.xray("NORMAL/NORMAL2-IM-1427-0001.jpeg")
        let expected = try expectedProbability(xray)
        let jpeg = try Data(contentsOf: xray)
        let png = Data(try Image(contentsOf: xray).pngData())  // lossless: same pixels, other codec
        let server = try await ServeTestServer.start()
        let boundary = "----fathom\(UUID().uuidString)"
        let replies = [
            try await server.send("POST", "/api/v1/predict", body: png, contentType: "image/png"),
            try await server.send("POST", "/api/v1/predict", body: ServeFixture.multipart(jpeg, boundary: boundary),
                                  contentType: "multipart/form-data; boundary=\(boundary)"),
            // A preamble, a quoted boundary, a field named `file` and a generic part type.
            try await server.send("POST", "/api/v1/predict",
                                  body: Data("a preamble to ignore\r\n".utf8)
                                      + ServeFixture.multipart(png, field: "file", filename: "x.png",
                                                               contentType: "application/octet-stream", boundary: "b0und"),
                                  contentType: "multipart/form-data; boundary=\"b0und\""),
        ]
        await server.stop()
        for reply in replies {
            #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
            let probability = try #require(try reply.json()["probability"] as? Double)
            #expect(Float(probability) == expected)
        }
    }

    @Test func heatmapIsTheLibrarysGradCAMOverlayAsPNG() async throws {
        let xray = try ServeFixture.xray()
        let overlay = try GradCAM(classifier: ServeFixture.classifier()).overlay(for: Image(contentsOf: xray))
        let server = try await ServeTestServer.start()
        let reply = try await server.send("POST", "/api/v1/predict?heatmap=1", body: Data(contentsOf: xray), contentType: "image/jpeg")
        await server.stop()

        #expect(reply.status == 200)
        let encoded = try #require(try reply.json()["heatmap_png_base64"] as? String)
        let png = try #require(Data(base64Encoded: encoded))
        #expect(ImageFormat.detect(png) == .png)
        let heatmap = try Image.decode(png)
        #expect(heatmap.width == 448 && heatmap.height == 448 && heatmap.colorModel == .rgb)
        #expect(heatmap == overlay)
    }

    @Test func sixteenConcurrentRequestsAllSucceedWithIdenticalProbabilities() async throws {
        let files = [try ServeFixture.xray(), try ServeFixture.xray("NORMAL/NORMAL2-IM-1438-0001.jpeg")]
        let expected = try files.map(expectedProbability)
        let bodies = try files.map { try Data(contentsOf: $0) }
        let server = try await ServeTestServer.start()
        let results = try await withThrowingTaskGroup(of: (Int, Int, Double?).self) { group in
            for i in 0..<16 {
                group.addTask {
                    let reply = try await server.send("POST", "/api/v1/predict", body: bodies[i % 2], contentType: "image/jpeg")
                    return (i % 2, reply.status, try? reply.json()["probability"] as? Double)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        await server.stop()
        #expect(results.count == 16)
        for (file, status, probability) in results {
            #expect(status == 200)
            #expect(probability.map(Float.init) == expected[file])
        }
    }
}

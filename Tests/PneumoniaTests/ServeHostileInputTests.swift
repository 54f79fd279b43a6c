import Foundation
import PneumoniaServe
import Testing
import Vision

/// What a hostile or careless client gets: the right status and a JSON `{error, detail}` for
/// every bad request, a server that still answers afterwards, and no client able to block
/// another by uploading slowly or walking away mid-body.
@Suite struct ServeHostileInputTests {
    /// Asserts a JSON error with `status` and `code`.
    func expectError(_ reply: HTTPReply, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(reply.status == status, sourceLocation: sourceLocation)
        let json = try reply.json()
        #expect(json["error"] as? String == code, sourceLocation: sourceLocation)
        #expect((json["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    }

    /// The server still predicts after whatever came before.
    func expectStillServing(_ server: ServeTestServer, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let reply = try await server.send("POST", "/api/v1/predict", body: Data(contentsOf: ServeFixture.xray()), contentType: "image/jpeg")
        #expect(reply.status == 200, sourceLocation: sourceLocation)
    }

    /// A PNG whose header declares `width`×`height` gray pixels, with valid CRCs and a token
    /// image stream: a decompression bomb's shape in 60 bytes.
    static func pngDeclaring(width: UInt32, height: UInt32) -> Data {
        func chunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
            let typed = Array(type.utf8) + payload
            return bigEndian(UInt32(payload.count)) + typed + bigEndian(crc32(typed))
        }
        func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
        let header = bigEndian(width) + bigEndian(height) + [8, 0, 0, 0, 0]  // 8-bit gray, no interlace
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let stream: [UInt8] = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]  // zlib of nothing
        return Data(signature + chunk("IHDR", header) + chunk("IDAT", stream) + chunk("IEND", []))
    }

    /// CRC-32 (ISO 3309), as PNG chunks use.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(Self.crc32(Array("123456789".utf8)) == 0xCBF4_3926)  // the catalogued check value of CRC-32
    }

    @Test func bodiesOverTheLimitGet413() async throws {
        let server = try await ServeTestServer.start()
        // 21 MB with a Content-Length: refused on the header.
        let big = Data(count: 21_000_000)
        try expectError(try await server.send("POST", "/api/v1/predict", body: big, contentType: "image/jpeg"), 413, "payload_too_large")
        try await expectStillServing(server)
        await server.stop()
    }

    @Test func chunkedBodiesAreCutOffAtTheLimit() async throws {
        let server = try await ServeTestServer.start { $0.maxBodyBytes = 1_000_000 }
        let connection = try RawHTTPConnection(port: server.port)
        try connection.send(Array("POST /api/v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
        // No length announced: the server counts while reading and answers past 1 MB.
        let chunk = [UInt8](repeating: 0xAB, count: 256 * 1024)
        for _ in 0..<5 { try connection.send(Array("40000\r\n".utf8) + chunk + [13, 10]) }
        #expect(try connection.receiveStatus() == 413)
        connection.close()  // before stopping: a graceful stop waits for open requests
        try await expectStillServing(server)
        await server.stop()
    }

    @Test func wrongContentTypesGet415() async throws {
        let server = try await ServeTestServer.start()
        let jpeg = try Data(contentsOf: ServeFixture.xray())
        for type in ["text/plain", "application/json", "image/gif", "multipart/form-data"] {  // the last has no boundary
            try expectError(try await server.send("POST", "/api/v1/predict", body: jpeg, contentType: type), 415, "unsupported_media_type")
        }
        // A form whose file part declares a non-image type.
        let form = ServeFixture.multipart(Data("hello".utf8), filename: "notes.txt", contentType: "text/plain", boundary: "xyz")
        try expectError(try await server.send("POST", "/api/v1/predict", body: form, contentType: "multipart/form-data; boundary=xyz"),
                        415, "unsupported_media_type")
        try await expectStillServing(server)
        await server.stop()
    }

    @Test func bytesThatAreNotAnImageGet422() async throws {
        let server = try await ServeTestServer.start()
        let garbage = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })
        try expectError(try await server.send("POST", "/api/v1/predict", body: garbage, contentType: "image/png"), 422, "invalid_image")
        let truncated = try Data(contentsOf: ServeFixture.xray()).prefix(2000)
        try expectError(try await server.send("POST", "/api/v1/predict", body: truncated, contentType: "image/jpeg"), 422, "invalid_image")
        try expectError(try await server.send("POST", "/api/v1/predict", body: Data(), contentType: "image/png"), 422, "invalid_image")
        try await expectStillServing(server)
        await server.stop()
    }

    @Test func aPNGDeclaring100000By100000PixelsGets422WithoutAllocating() async throws {
        let bomb = Self.pngDeclaring(width: 100_000, height: 100_000)
        #expect(bomb.count < 100)
        let server = try await ServeTestServer.start()
        let reply = try await server.send("POST", "/api/v1/predict", body: bomb, contentType: "image/png")
        try expectError(reply, 422, "image_too_large")
        #expect((try reply.json()["detail"] as? String)?.contains("100000×100000") == true)
        try await expectStillServing(server)
        await server.stop()
    }

    @Test func unknownRoutesGet404AndWrongMethods405AsJSON() async throws {
        let server = try await ServeTestServer.start()
        try expectError(try await server.send("GET", "/no/such/route"), 404, "not_found")
        try expectError(try await server.send("POST", "/api/v2/predict", body: Data([1]), contentType: "image/png"), 404, "not_found")
        let wrongMethod = try await server.send("GET", "/api/v1/predict")
        try expectError(wrongMethod, 405, "method_not_allowed")
        #expect(wrongMethod.header("Allow") == "POST")
        try expectError(try await server.send("DELETE", "/healthz"), 405, "method_not_allowed")
        try await expectStillServing(server)
        await server.stop()
    }

    @Test func malformedFormsAndParametersGet400() async throws {
        let server = try await ServeTestServer.start()
        let jpeg = try Data(contentsOf: ServeFixture.xray())
        var unterminated = ServeFixture.multipart(jpeg, boundary: "abc")
        unterminated.removeLast(10)  // the closing boundary is cut off
        try expectError(try await server.send("POST", "/api/v1/predict", body: unterminated, contentType: "multipart/form-data; boundary=abc"),
                        400, "malformed_multipart")
        try expectError(try await server.send("POST", "/api/v1/predict", body: jpeg, contentType: "multipart/form-data; boundary=abc"),
                        400, "malformed_multipart")
        try expectError(try await server.send("POST", "/api/v1/predict?heatmap=maybe", body: jpeg, contentType: "image/jpeg"),
                        400, "invalid_parameter")
        try await expectStillServing(server)
        await server.stop()
    }

    @Test func stalledAndAbortedUploadsDoNotBlockOtherClients() async throws {
        // One inference at a time makes any blocking visible.
        let server = try await ServeTestServer.start { $0.maxConcurrentInferences = 1 }
        let head = "POST /api/v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\nContent-Length: 5000000\r\n\r\n"
        let stalled = try RawHTTPConnection(port: server.port)
        try stalled.send(Array(head.utf8) + [UInt8](repeating: 0xFF, count: 100_000))  // half a body, then silence
        let aborted = try RawHTTPConnection(port: server.port)
        try aborted.send(Array(head.utf8) + [UInt8](repeating: 0xFF, count: 100_000))
        aborted.close()  // and one that walks away

        let xray = try ServeFixture.xray()
        let reply = try await server.send("POST", "/api/v1/predict", body: Data(contentsOf: xray), contentType: "image/jpeg")
        #expect(reply.status == 200)
        let probability = try #require(try reply.json()["probability"] as? Double)
        #expect(Float(probability) == (try ServeFixture.classifier().probability(of: Image(contentsOf: xray))))
        #expect(try await server.send("GET", "/healthz").status == 200)
        stalled.close()  // before stopping: a graceful stop waits for open requests
        await server.stop()
    }
}

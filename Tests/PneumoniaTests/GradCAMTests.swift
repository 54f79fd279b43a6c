import FathomTestSupport
import Foundation
import PneumoniaKit
import Tensor
import Testing
import Vision

/// Grad-CAM heat maps of real X-rays: shape, range, and never blank.
@Suite("Grad-CAM")
struct GradCAMTests {
    /// Every original-resolution validation X-ray gets a map at the feature resolution
    /// (64 px input → 8×8), scaled so that its peak is exactly 1 — a blank map would tell a
    /// clinician nothing, so the LayerCAM fallback must catch the cases Grad-CAM leaves empty.
    @Test func mapsOfRealXRaysAreInZeroOneAndNeverBlank() throws {
        let gradCAM = try GradCAM(classifier: ServeFixture.classifier())
        let folder = try SharedData.dataFolder("chest_xray_val_original")
        var checked = 0
        for label in ["NORMAL", "PNEUMONIA"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(label).path).sorted()
            for name in names where name.hasSuffix(".jpeg") {
                let image = try Image(contentsOf: folder.appendingPathComponent("\(label)/\(name)"))
                let (map, explained) = gradCAM.heatMap(for: image)
                #expect(map.shape == [8, 8], "\(name)")
                #expect(explained == 0 || explained == 1)
                let values = map.scalars
                #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(name): values outside 0…1")
                #expect(values.max() == 1, "\(name): blank heat map")
                checked += 1
            }
        }
        #expect(checked == 16)
    }
}

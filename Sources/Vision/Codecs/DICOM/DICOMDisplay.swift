#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns stored values into 8-bit display values the way a viewer shows the image, following
/// pydicom's `apply_modality_lut` then `apply_voi_lut` (PS3.3 C.11.1, C.11.2):
///
/// 1. Modality: the Modality LUT Sequence if present, else Rescale Slope/Intercept when both
///    are present, else the stored value.
/// 2. VOI, producing `v` and then `display = floor(255·(v − yMin)/(yMax − yMin) + 0.5)`:
///    - the first VOI LUT Sequence item when present (preferred over a window, as pydicom's
///      `prefer_lut=True`): `v` is the entry, `yMin = 0`, `yMax = 2^bits − 1`;
///    - else the first Window Center/Width with the VOI LUT Function (LINEAR by default,
///      C.11.2.1.2; `yMin…yMax` is the stored range, or the modality LUT range, through the
///      rescale — exactly pydicom's `apply_windowing`); a width below 1 (LINEAR) or not
///      positive (LINEAR_EXACT, SIGMOID) is ignored;
///    - else min–max: `yMin`/`yMax` are the smallest and largest modality values of the frame
///      (all 0 when they are equal).
/// 3. MONOCHROME1 is inverted: `255 − display`.
///
/// Colour samples skip 1–3: `display = floor(255·v/(2^BitsStored − 1) + 0.5)`, the identity
/// for 8-bit samples. `Tests/VisionTests/Fixtures/DICOM/make_dicom_fixtures.py` computes the
/// expected arrays with the same rule on pydicom's output.
struct DICOMDisplay {
    private enum VOI {
        case lookupTable(DICOMLookupTable)
        case window(center: Double, width: Double, function: String)
        case minMax
    }

    private let description: DICOMPixelDescription
    private let modalityLUT: DICOMLookupTable?
    private let rescale: (slope: Double, intercept: Double)?
    private let voi: VOI

    /// Reads the modality and VOI modules of `dataSet`.
    init(_ dataSet: DICOMDataSet, description: DICOMPixelDescription) throws(DICOMProblem) {
        self.description = description
        guard description.photometric.isMonochrome else {
            (modalityLUT, rescale, voi) = (nil, nil, .minMax)
            return
        }
        if let item = dataSet[.modalityLUTSequence]?.items.first {
            modalityLUT = try DICOMLookupTable(item, name: "the Modality LUT Sequence", signedInput: description.isSigned)
        } else {
            modalityLUT = nil
        }
        let slope = try dataSet.decimal(.rescaleSlope, name: "RescaleSlope")
        let intercept = try dataSet.decimal(.rescaleIntercept, name: "RescaleIntercept")
        rescale = slope.flatMap { slope in intercept.map { (slope: slope, intercept: $0) } }

        if let item = dataSet[.voiLUTSequence]?.items.first, item[.lutDescriptor] != nil, item[.lutData] != nil {
            voi = .lookupTable(try DICOMLookupTable(item, name: "the VOI LUT Sequence", signedInput: description.isSigned))
            return
        }
        let function = (dataSet.string(.voiLUTFunction) ?? "LINEAR").uppercased()
        if let center = try dataSet.decimal(.windowCenter, name: "WindowCenter"),
           let width = try dataSet.decimal(.windowWidth, name: "WindowWidth") {
            guard ["LINEAR", "LINEAR_EXACT", "SIGMOID"].contains(function) else {
                throw .unsupported("VOI LUT Function '\(function)' (expected LINEAR, LINEAR_EXACT or SIGMOID)")
            }
            let usable = function == "LINEAR" ? width >= 1 : width > 0
            voi = usable ? .window(center: center, width: width, function: function) : .minMax
        } else {
            voi = .minMax
        }
    }

    /// The modality transform, for ``DICOMInfo``.
    var modalityTransform: DICOMModalityTransform {
        if let modalityLUT { return .lookupTable(entryCount: modalityLUT.entries.count, bitsPerEntry: modalityLUT.bitsPerEntry) }
        if let rescale { return .rescale(slope: rescale.slope, intercept: rescale.intercept) }
        return .identity
    }

    /// The modality value of a stored value.
    private func modalityValue(_ stored: Int32) -> Double {
        if let modalityLUT { return Double(modalityLUT.value(at: Double(stored))) }
        if let rescale { return Double(stored) * rescale.slope + rescale.intercept }
        return Double(stored)
    }

    /// `floor(x + 0.5)` clamped to 0…255, NaN to 0.
    static func displayByte(_ x: Double) -> UInt8 {
        guard !x.isNaN else { return 0 }
        let rounded = (x + 0.5).rounded(.down)
        return rounded <= 0 ? 0 : rounded >= 255 ? 255 : UInt8(rounded)
    }

    /// The display values of the stored values, and how they were mapped.
    func render(_ stored: [Int32]) -> ([UInt8], DICOMDisplayMapping) {
        let d = description
        guard d.photometric.isMonochrome else {
            let top = Double((1 << d.bitsStored) - 1)
            return (stored.map { Self.displayByte(Double($0) * 255 / top) }, .sampleRange(bitsStored: d.bitsStored))
        }
        let values = stored.map(modalityValue)
        var display: [UInt8]
        let mapping: DICOMDisplayMapping
        switch voi {
        case .lookupTable(let table):
            let top = Double(table.maximumEntry)
            display = values.map { Self.displayByte(Double(table.value(at: $0)) * 255 / top) }
            mapping = .lookupTable(entryCount: table.entries.count, bitsPerEntry: table.bitsPerEntry)
        case .window(let center, let width, let function):
            // The same operations, in the same order, as pydicom's `apply_windowing`, so that
            // the results agree to the last bit.
            let (low, high) = outputRange()
            let range = high - low
            if function == "SIGMOID" {
                display = values.map { x in
                    let v = range / (1 + exp(-4 * (x - center) / width)) + low  // C.11.2.1.3.1
                    return Self.displayByte((v - low) / range * 255)
                }
            } else {
                // LINEAR moves the window by half a unit and narrows it by one (C.11.2.1.2.1).
                let (c, w) = function == "LINEAR" ? (center - 0.5, width - 1) : (center, width)
                let (bottom, top) = (c - w / 2, c + w / 2)
                display = values.map { x in
                    let v = x <= bottom ? low : x > top ? high : ((x - c) / w + 0.5) * range + low
                    return Self.displayByte((v - low) / range * 255)
                }
            }
            mapping = .window(center: center, width: width, function: function)
        case .minMax:
            let low = values.min() ?? 0, high = values.max() ?? 0
            display = high > low ? values.map { Self.displayByte(($0 - low) / (high - low) * 255) }
                : [UInt8](repeating: 0, count: values.count)
            mapping = .minMax(minimum: low, maximum: high)
        }
        if d.photometric == .monochrome1 { display = display.map { 255 - $0 } }
        return (display, mapping)
    }

    /// pydicom's `apply_windowing` output range: the stored range (or the modality LUT's),
    /// through the rescale when there is one.
    private func outputRange() -> (Double, Double) {
        var low: Double, high: Double
        if let modalityLUT {
            (low, high) = (0, Double(modalityLUT.maximumEntry))
        } else if description.isSigned {
            (low, high) = (-Double(1 << (description.bitsStored - 1)), Double(1 << (description.bitsStored - 1)) - 1)
        } else {
            (low, high) = (0, Double((1 << description.bitsStored) - 1))
        }
        if let rescale {
            (low, high) = (low * rescale.slope + rescale.intercept, high * rescale.slope + rescale.intercept)
        }
        return (low, high)
    }
}

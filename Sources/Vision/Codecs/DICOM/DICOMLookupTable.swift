/// A modality or VOI lookup table from a sequence item (PS3.3 C.11.1 and C.11.2): LUT
/// Descriptor (entries, first mapped value, bits per entry) and LUT Data.
struct DICOMLookupTable {
    /// The input value mapped by the first entry.
    let firstMapped: Int
    /// The table entries.
    let entries: [Int]
    /// The nominal bits per entry (third descriptor value).
    let bitsPerEntry: Int

    /// The table in a sequence item.
    ///
    /// - Parameters:
    ///   - name: the sequence's name, for messages.
    ///   - signedInput: whether an implicit-VR first mapped value is signed (PixelRepresentation 1).
    init(_ item: DICOMDataSet, name: String, signedInput: Bool) throws(DICOMProblem) {
        let descriptor = try item.integers(.lutDescriptor, signedWhenAmbiguous: signedInput)
        guard descriptor.count == 3 else {
            throw .corrupt("\(name) has a LUT Descriptor \(DICOMTag.lutDescriptor) of \(descriptor.count) values, expected 3")
        }
        // An entry count of 0 means 65536 (PS3.3 C.11.1.1.1).
        let count = descriptor[0] == 0 ? 65536 : descriptor[0] & 0xFFFF
        guard (1...16).contains(descriptor[2]) else {
            throw .corrupt("\(name) declares \(descriptor[2]) bits per LUT entry, expected 1...16")
        }
        let data = try item.integers(.lutData)
        guard data.count >= count else {
            throw .corrupt("\(name) holds \(data.count) LUT Data entries, its descriptor declares \(count)")
        }
        firstMapped = descriptor[1]
        entries = Array(data.prefix(count))
        bitsPerEntry = descriptor[2]
    }

    /// The largest value an entry can hold, 2^bits − 1.
    var maximumEntry: Int { (1 << bitsPerEntry) - 1 }

    /// The entry for `input`: inputs below the first mapped value take the first entry,
    /// inputs past the table the last, fractional inputs are truncated (as pydicom indexes).
    func value(at input: Double) -> Int {
        let position = input - Double(firstMapped)
        guard position >= 1 else { return entries[0] }
        guard position < Double(entries.count - 1) else { return entries[entries.count - 1] }
        return entries[Int(position)]
    }
}

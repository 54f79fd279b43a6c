import Serialization

/// Raw deflate (no zlib header), as the deflated transfer syntax stores the data set
/// (PS3.5 A.5), with a cap on the output so that a "zip bomb" stops early. The stream loop is
/// Serialization's ``RawDeflate`` (zip members use it too); this names DICOM's problems.
enum DICOMInflater {
    /// The inflated bytes of `input`.
    ///
    /// - Parameter maximumCount: the largest output accepted; the buffer grows as data
    ///   arrives, so a small file never allocates the maximum.
    /// - Throws: when the stream is corrupt, ends early, or inflates past `maximumCount`.
    static func inflate(_ input: UnsafeRawBufferPointer, maximumCount: Int) throws(DICOMProblem) -> [UInt8] {
        guard input.count > 0 else { throw .corrupt("the deflated data set is empty") }
        do throws(RawDeflate.Failure) {
            return try RawDeflate.inflate(input, atMost: maximumCount)
        } catch {
            switch error {
            case .initialization:
                throw .corrupt("zlib could not initialize inflate")
            case .tooLong:
                throw .corrupt("the deflated data set inflates to more than \(maximumCount) bytes, the limit for this image size")
            case .truncated, .tooShort:
                throw .corrupt("the deflated data set ends before the end of its deflate stream")
            case .corrupt(let message):
                throw .corrupt("the deflated data set is not valid deflate data (\(message))")
            }
        }
    }
}

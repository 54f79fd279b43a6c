/// One data element located by the parser: its VR and where its value lies in the buffer.
///
/// Values are read on demand with the data set's encoding; sequences the decoder needs
/// (``DICOMTag/sequencesRead``) also keep their items.
struct DICOMElement {
    /// The element's tag.
    let tag: DICOMTag
    /// The two-letter value representation ("US", "DS", "OW"...), "UN" when unknown.
    let vr: String
    /// The offset of the value in the buffer.
    let offset: Int
    /// The value length in bytes, or `nil` for an undefined length (encapsulated pixel data).
    let length: Int?
    /// The items of a sequence the decoder reads, each a data set.
    var items: [DICOMDataSet] = []
    /// The fragments of encapsulated pixel data, as (offset, length) in the buffer; the first
    /// is the basic offset table.
    var fragments: [Range<Int>] = []
}

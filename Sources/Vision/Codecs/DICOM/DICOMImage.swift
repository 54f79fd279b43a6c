/// A decoded DICOM image: the 8-bit display image and the attributes used to make it.
///
/// ```swift
/// let dicom = try DICOMImage(contentsOfFile: "chest.dcm")
/// dicom.image                      // Image(2048×2500, gray, 8-bit)
/// dicom.info.displayMapping        // window 2048.0/4096.0 (LINEAR)
/// ```
///
/// `Image.decode` and `Image(contentsOfFile:)` return the same image for DICOM input.
public struct DICOMImage: Sendable, Equatable {
    /// The first frame as a viewer shows it: 8-bit gray (1 channel) or RGB (3 channels).
    public let image: Image
    /// The attributes used.
    public let info: DICOMInfo
}

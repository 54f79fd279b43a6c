extension Image {
    /// How much a JPEG encoder reduces the resolution of the two chroma channels.
    public enum ChromaSubsampling: Sendable, CaseIterable {
        /// 4:4:4, full colour resolution: largest files, sharpest colour edges.
        case s444
        /// 4:2:2, half horizontal colour resolution.
        case s422
        /// 4:2:0, half colour resolution both ways: the common default (libjpeg, Pillow).
        case s420
    }
}

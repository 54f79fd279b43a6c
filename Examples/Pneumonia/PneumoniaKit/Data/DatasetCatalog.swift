import Foundation

/// The files `pneumonia fetch` knows how to download: PneumoniaMNIST at each MedMNIST+ size,
/// from the official MedMNIST v2 record on Zenodo, with their published MD5 sums.
public struct RemoteDataset: Sendable, Hashable {
    /// The file name in the cache (the same as MedMNIST's).
    public let fileName: String
    /// Where the official copy lives.
    public let url: URL
    /// The MD5 of the official file, lowercase hex.
    public let md5: String
    /// Image side length in pixels.
    public let imageSize: Int

    /// A downloadable file: its name in the cache, where it lives, its MD5 (hex) and image size.
    public init(fileName: String, url: URL, md5: String, imageSize: Int) {
        self.fileName = fileName
        self.url = url
        self.md5 = md5.lowercased()
        self.imageSize = imageSize
    }

    /// What it is, for messages: "PneumoniaMNIST (28 px)".
    public var title: String { "PneumoniaMNIST (\(imageSize) px)" }

    /// PneumoniaMNIST at one of the sizes 28, 64, 128 and 224, or `nil` for any other size.
    public static func pneumoniaMNIST(size: Int) -> RemoteDataset? {
        let checksums = [28: "28209eda62fecd6e6a2d98b1501bb15f", 64: "8f4eceb4ccffa70c672198ea285246c6",
                         128: "05b46931834c231683c68f40c47b2971", 224: "d6a3c71de1b945ea11211b03746c1fe1"]
        guard let md5 = checksums[size] else { return nil }
        let name = size == 28 ? "pneumoniamnist.npz" : "pneumoniamnist_\(size).npz"
        return RemoteDataset(fileName: name,
                             url: URL(string: "https://zenodo.org/records/10519652/files/\(name)?download=1")!,
                             md5: md5, imageSize: size)
    }

    /// The PneumoniaMNIST file a run without `--data` trains on: the one at `imageSize` when
    /// MedMNIST publishes that size, else (and when unspecified) the 28 px file.
    public static func pneumoniaMNIST(forImageSize imageSize: Int?) -> RemoteDataset {
        imageSize.flatMap { pneumoniaMNIST(size: $0) } ?? pneumoniaMNIST(size: 28)!
    }

    /// The catalogued PneumoniaMNIST file called `fileName` (`pneumoniamnist_64.npz`), if any.
    public static func pneumoniaMNIST(fileName: String) -> RemoteDataset? {
        availableSizes.compactMap { pneumoniaMNIST(size: $0) }.first { $0.fileName == fileName }
    }

    /// The sizes MedMNIST publishes.
    public static let availableSizes = [28, 64, 128, 224]

    /// Where to get the full-resolution Kermany chest X-ray folders, which need an account or
    /// a manual download and are therefore not fetched automatically.
    public static let fullResolutionInstructions = """
        The full-resolution chest X-rays (Kermany et al., Cell 2018, CC BY 4.0) come as folders
        train/ and test/ with NORMAL/ and PNEUMONIA/ inside:
          • Mendeley Data: https://data.mendeley.com/datasets/rscbjbr9sj/2 (ChestXRay2017.zip)
          • Kaggle: https://www.kaggle.com/datasets/paultimothymooney/chest-xray-pneumonia
            (kaggle datasets download -d paultimothymooney/chest-xray-pneumonia)
        Unzip it and pass the folder that holds train/ to --data, e.g.
          pneumonia train --data ~/data/chest_xray --image-size 128 --model compact-cnn
        """
}

// swift-tools-version: 6.1
// Fathom: deep learning in Swift on Linux, on OpenBLAS/LAPACKE, libpng and libjpeg-turbo.
import PackageDescription

let package = Package(
    name: "Fathom",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "Serialization", targets: ["Serialization"]),
        .library(name: "Layers", targets: ["Layers"]),
        .library(name: "Optim", targets: ["Optim"]),
        .library(name: "Vision", targets: ["Vision"]),
        .library(name: "ONNX", targets: ["ONNX"]),
        .library(name: "DistributedTraining", targets: ["DistributedTraining"]),
        .executable(name: "pneumonia", targets: ["pneumonia"]),
        .executable(name: "fathom-bench", targets: ["FathomBenchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `pneumonia serve`: HTTP/1.1 on SwiftNIO (no default traits: swift-configuration is not needed).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // System libraries: module maps over Debian's -dev packages (Homebrew names for macOS).
        .systemLibrary(name: "CBLAS", providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
        .systemLibrary(name: "CLAPACKE", providers: [.apt(["liblapacke-dev"]), .brew(["lapack"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        .systemLibrary(name: "CTurboJPEG", providers: [.apt(["libturbojpeg0-dev", "libjpeg62-turbo-dev"]), .brew(["jpeg-turbo"])]),

        // The library.
        // Fathom's own C kernels: the GEMM (packing + one micro-kernel per ISA, chosen from CPUID) and
        // SIMD loops where clang's vector code beats Swift's (Winograd transforms).
        .target(name: "CKernels"),
        .target(name: "Tensor", dependencies: ["CBLAS", "CLAPACKE", "CKernels"]),
        // File formats: NPY/NPZ, safetensors, PyTorch checkpoints (ZIP and zlib internal to it).
        .target(name: "Serialization", dependencies: ["Tensor", "CZlib"]),
        .target(name: "Layers", dependencies: ["Tensor", "Serialization", "CBLAS", "CKernels"]),
        .target(name: "Optim", dependencies: ["Tensor", "Serialization"]),
        .target(name: "CImageCodecs", dependencies: ["CPNG"], linkerSettings: [.linkedLibrary("png16")]),  // libpng, longjmp-free
        .target(name: "Vision", dependencies: ["Tensor", "Serialization", "CPNG", "CTurboJPEG", "CImageCodecs"]),  // deflated DICOM: Serialization's zlib
        // Export to ONNX: a separate library, so that the core does not depend on it.
        .target(name: "ONNX", dependencies: ["Tensor", "Layers"]),
        // Data-parallel training over Open MPI, which is loaded at run time (dlopen): packages
        // using Fathom build without MPI installed; only `mpirun` needs it. Not `Distributed`:
        // that is the Swift toolchain's distributed-actors module.
        .target(name: "CMPIShim", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "DistributedTraining", dependencies: ["Tensor", "Layers", "CMPIShim"]),

        // The flagship example: `swift run -c release pneumonia`.
        .target(name: "PneumoniaKit", dependencies: ["Tensor", "Serialization", "Layers", "Optim", "Vision", "ONNX", "DistributedTraining"],
                path: "Examples/Pneumonia/PneumoniaKit"),
        .target(name: "PneumoniaServe",
                dependencies: ["PneumoniaKit", "Vision", .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "UnixSignals", package: "swift-service-lifecycle")],
                path: "Examples/Pneumonia/Serve"),
        .executableTarget(name: "pneumonia",
                          dependencies: ["PneumoniaKit", "PneumoniaServe", "Tensor", "Serialization", "Layers", "ONNX", "DistributedTraining", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                         .product(name: "Logging", package: "swift-log")],
                          path: "Examples/Pneumonia/CLI"),

        // Run under `mpirun` by DistributedTrainingTests: collectives, equivalence, a killed rank.
        .executableTarget(name: "fathom-distributed-check",
                          dependencies: ["DistributedTraining", "Tensor", "Serialization", "Layers", "Optim", "Vision"],
                          path: "Tests/DistributedCheck"),

        // Benchmarks: `swift run -c release fathom-bench`.
        .executableTarget(name: "FathomBenchmarks", dependencies: ["Tensor", "Layers", "Optim", "Vision", "DistributedTraining", "CBLAS", "CTurboJPEG"],
                          path: "Benchmarks/FathomBenchmarks"),

        // Tests, one target per module.
        // What the test targets share (not a product): the gradient-check assertions over
        // `GradientCheck`, the shared-data locator ($FATHOM_DATA or ../shared/data) and the
        // SplitMix64 generator of the corruption tests.
        .target(name: "FathomTestSupport", dependencies: ["Tensor"], path: "Tests/FathomTestSupport"),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "FathomTestSupport"]),
        .testTarget(name: "SerializationTests", dependencies: ["Serialization", "Tensor", "FathomTestSupport"], exclude: ["Fixtures"]),  // .pth fixtures read via #filePath
        .testTarget(name: "LayersTests", dependencies: ["Layers", "Tensor", "Serialization", "Vision", "FathomTestSupport"], exclude: ["Fixtures"]),  // reference data read via #filePath
        .testTarget(name: "OptimTests", dependencies: ["Optim", "Tensor", "Serialization"]),
        // A DICOM writer for the tests (chest X-rays read back as DICOM), shared by two test targets.
        .target(name: "DICOMTestWriter", path: "Tests/DICOMTestWriter"),
        .testTarget(name: "VisionTests", dependencies: ["Vision", "Tensor", "Serialization", "DICOMTestWriter", "FathomTestSupport"], exclude: ["Fixtures"]),  // DICOM fixtures read via #filePath
        // The ONNX reference check (onnx.checker + ONNX Runtime through python3), shared by the
        // tests that export models.
        .target(name: "ONNXReference", dependencies: ["Tensor", "Serialization"], path: "Tests/ONNXReference", exclude: ["check_onnx.py"]),
        .testTarget(name: "ONNXTests", dependencies: ["ONNX", "ONNXReference", "Layers", "Tensor", "Serialization"]),
        .testTarget(name: "DistributedTrainingTests", dependencies: ["DistributedTraining", "Tensor", "Serialization", "FathomTestSupport"]),
        .testTarget(name: "PneumoniaTests", dependencies: ["PneumoniaKit", "PneumoniaServe", "Tensor", "Serialization", "Layers", "Optim", "Vision",
                                                          "ONNX", "ONNXReference", "DICOMTestWriter", "FathomTestSupport",
                                                          .product(name: "Logging", package: "swift-log")],
                    exclude: ["Fixtures"]),  // run.json files written by earlier versions, read via #filePath
        // The command line's options: parsed by the `pneumonia` executable's commands.
        .testTarget(name: "PneumoniaCLITests", dependencies: ["pneumonia", "PneumoniaKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    ]
)

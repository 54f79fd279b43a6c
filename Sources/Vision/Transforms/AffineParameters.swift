import Foundation  // cos, sin, tan, log, exp

/// A rotation, translation, scaling and shear about the image centre, in torchvision's
/// conventions (`torchvision.transforms.functional.affine`).
///
/// The output pixel at `p` takes the input at `M⁻¹ (p − c − t) + c`, where `c` is the centre
/// `((W − 1)/2, (H − 1)/2)` in pixel-centre coordinates and `M = R·Sh·S`: this is how
/// torchvision samples tensors with `grid_sample(align_corners=False)`.
public struct AffineParameters: Sendable, Hashable {
    /// Rotation in degrees, clockwise on screen (y points down), as `F.affine`'s `angle`.
    public var angle: Double
    /// Translation in pixels, `(x, y)`, applied after the rotation.
    public var translation: (x: Double, y: Double)
    /// Zoom factor; above 1 enlarges the content.
    public var scale: Double
    /// Shear angles in degrees along x and y.
    public var shear: (x: Double, y: Double)

    /// An affine map; the defaults are the identity.
    public init(angle: Double = 0, translation: (x: Double, y: Double) = (0, 0), scale: Double = 1,
                shear: (x: Double, y: Double) = (0, 0)) {
        precondition(scale > 0, "AffineParameters: scale must be positive, got \(scale)")
        (self.angle, self.translation, self.scale, self.shear) = (angle, translation, scale, shear)
    }

    /// The inverse map as `[a, b, c, d, e, f]`: an output point `(x, y)` relative to the
    /// centre samples the input at `(a x + b y + c, d x + e y + f)` relative to the centre
    /// (torchvision's `_get_inverse_affine_matrix` with the centre at the origin).
    public var inverseMatrix: [Double] {
        let rotation = angle * .pi / 180
        let sx = shear.x * .pi / 180, sy = shear.y * .pi / 180
        // R·Sh without the scale; its determinant is 1.
        let a = cos(rotation - sy) / cos(sy)
        let b = -cos(rotation - sy) * tan(sx) / cos(sy) - sin(rotation)
        let c = sin(rotation - sy) / cos(sy)
        let d = -sin(rotation - sy) * tan(sx) / cos(sy) + cos(rotation)
        var m = [d, -b, 0, -c, a, 0].map { $0 / scale }
        m[2] = m[0] * -translation.x + m[1] * -translation.y
        m[5] = m[3] * -translation.x + m[4] * -translation.y
        return m
    }

    /// Tuples are not `Hashable`; compare their components.
    public static func == (lhs: AffineParameters, rhs: AffineParameters) -> Bool {
        lhs.angle == rhs.angle && lhs.translation == rhs.translation && lhs.scale == rhs.scale && lhs.shear == rhs.shear
    }

    /// Hashes every component.
    public func hash(into hasher: inout Hasher) {
        for value in [angle, translation.x, translation.y, scale, shear.x, shear.y] { hasher.combine(value) }
    }
}

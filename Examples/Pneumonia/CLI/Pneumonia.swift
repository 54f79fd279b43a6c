import ArgumentParser

/// `pneumonia`: fetch the data, train, evaluate, predict and serve a chest X-ray classifier.
@main
struct Pneumonia: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pneumonia detection on chest X-rays with Fathom (research use only, not a medical device).",
        subcommands: [Fetch.self, Train.self, Evaluate.self, Calibrate.self, Predict.self, Serve.self, Convert.self, Export.self])
}

import Testing
import Tuning

/// Keras Tuner's formulas, computed by hand:
///   brackets  = times max_epochs can be divided by factor while >= 1 (s_max = brackets - 1)
///   size(s,r) = ceil(ceil(1 + log(max_epochs)/log(factor)) / (s + 1) * factor^(s - r))
///   epochs(s,r) = ceil(max_epochs / factor^(s - r)), a promotion starting at epochs(s, r - 1).
@Suite struct HyperbandScheduleTests {
    @Test func tenEpochsFactorThreeOneIteration() throws {
        // 10 -> 3.33 -> 1.11 -> 0.37: 3 brackets (s = 2, 1, 0). ceil(1 + log3(10)) = ceil(3.096) = 4.
        // s=2: 4/3 * 9 = 12, 4/3 * 3 = 4, 4/3 = 1.33 -> 2 trials; epochs ceil(10/9) = 2, ceil(10/3) = 4, 10.
        // s=1: 4/2 * 3 = 6, 2; epochs 4, 10.   s=0: 4 trials at 10 epochs.
        let schedule = try HyperbandSchedule(maxEpochs: 10, factor: 3, iterations: 1)
        #expect(schedule.brackets.map(\.bracket) == [2, 1, 0])
        #expect(schedule.brackets.map { $0.rounds.map(\.trials) } == [[12, 4, 2], [6, 2], [4]])
        #expect(schedule.brackets.map { $0.rounds.map(\.epochs) } == [[2, 4, 10], [4, 10], [10]])
        #expect(schedule.brackets.map { $0.rounds.map(\.initialEpoch) } == [[0, 2, 4], [0, 4], [0]])
        // Trained epochs: s=2: 12*2 + 4*2 + 2*6 = 44; s=1: 6*4 + 2*6 = 36; s=0: 4*10 = 40.
        #expect(schedule.brackets.map(\.trainedEpochs) == [44, 36, 40])
        #expect(schedule.trialsPerIteration == 30)
        #expect(schedule.newConfigurationsPerIteration == 22)
        #expect(schedule.trainedEpochsPerIteration == 120)
        // Retraining every trial from epoch 0: 60 + 44 + 40.
        #expect(schedule.epochsFromScratchPerIteration == 144)
        #expect(abs(schedule.kerasTunerDocumentedEpochEstimate - 43.93) < 0.01)
    }

    @Test func hundredEpochsFactorThreeTwoIterations() throws {
        // 100 -> 33.3 -> 11.1 -> 3.7 -> 1.23 -> 0.41: 5 brackets (s = 4...0). ceil(1 + log3(100)) = ceil(5.19) = 6.
        // s=4: 6/5 = 1.2 -> ceil(97.2) = 98, ceil(32.4) = 33, ceil(10.8) = 11, ceil(3.6) = 4, ceil(1.2) = 2.
        // s=3: 1.5 -> ceil(40.5) = 41, ceil(13.5) = 14, ceil(4.5) = 5, ceil(1.5) = 2.
        // s=2: 2 -> 18, 6, 2.   s=1: 3 -> 9, 3.   s=0: 6.
        // Epochs: ceil(100/81) = 2, ceil(100/27) = 4, ceil(100/9) = 12, ceil(100/3) = 34, 100.
        let schedule = try HyperbandSchedule(maxEpochs: 100, factor: 3, iterations: 2)
        #expect(schedule.brackets.map(\.bracket) == [4, 3, 2, 1, 0])
        #expect(schedule.brackets.map { $0.rounds.map(\.trials) } == [[98, 33, 11, 4, 2], [41, 14, 5, 2], [18, 6, 2], [9, 3], [6]])
        #expect(schedule.brackets.map { $0.rounds.map(\.epochs) }
            == [[2, 4, 12, 34, 100], [4, 12, 34, 100], [12, 34, 100], [34, 100], [100]])
        #expect(schedule.brackets.map { $0.rounds.map(\.initialEpoch) }
            == [[0, 2, 4, 12, 34], [0, 4, 12, 34], [0, 12, 34], [0, 34], [0]])
        // s=4: 98*2 + 33*2 + 11*8 + 4*22 + 2*66 = 570; s=3: 41*4 + 14*8 + 5*22 + 2*66 = 518;
        // s=2: 18*12 + 6*22 + 2*66 = 480; s=1: 9*34 + 3*66 = 504; s=0: 6*100 = 600.
        #expect(schedule.brackets.map(\.trainedEpochs) == [570, 518, 480, 504, 600])
        #expect(schedule.brackets.map(\.trials) == [148, 62, 26, 12, 6])
        #expect(schedule.trialsPerIteration == 254)
        #expect(schedule.trainedEpochsPerIteration == 2672)
        #expect(schedule.epochsFromScratchPerIteration == 3324)
        #expect(schedule.totalTrials == 508)
        #expect(schedule.totalTrainedEpochs == 5344)
        #expect(abs(schedule.kerasTunerDocumentedEpochEstimate - 1757.1) < 0.1)
    }

    @Test func smallCases() throws {
        let one = try HyperbandSchedule(maxEpochs: 1, factor: 3)
        #expect(one.brackets.map { $0.rounds.map(\.trials) } == [[1]])
        let three = try HyperbandSchedule(maxEpochs: 3, factor: 3)
        #expect(three.brackets.map { $0.rounds.map(\.trials) } == [[3, 1], [2]])
        #expect(three.brackets.map { $0.rounds.map(\.epochs) } == [[1, 3], [3]])
    }

    @Test func keepsKerasTunersFloatQuirks() throws {
        // log(15625) / log(5) is 6.000000000000001 in floating point, so Keras Tuner's
        // ceil(1 + log) is 8, not 7: its last bracket runs 8 trials, and so does ours.
        // (Computed with Keras Tuner's formulas in Python.)
        let schedule = try HyperbandSchedule(maxEpochs: 15625, factor: 5)
        #expect(schedule.brackets.map(\.bracket) == [6, 5, 4, 3, 2, 1, 0])
        #expect(schedule.brackets.last?.rounds.map(\.trials) == [8])
        #expect(schedule.brackets.first?.rounds.map(\.trials) == [17858, 3572, 715, 143, 29, 6, 2])
        #expect(schedule.brackets[4].rounds.map(\.trials) == [67, 14, 3])
    }

    @Test func invalidArguments() {
        #expect(throws: OracleError.self) { try HyperbandSchedule(maxEpochs: 0) }
        #expect(throws: OracleError.self) { try HyperbandSchedule(maxEpochs: 10, factor: 1) }
        #expect(throws: OracleError.self) { try HyperbandSchedule(maxEpochs: 10, iterations: 0) }
        do {
            _ = try HyperbandOracle(objective: .maximize("accuracy"), maxEpochs: 10, factor: 1)
        } catch {
            #expect(error.description.contains("Invalid factor: 1 is below 2"))
        }
    }

    @Test func descriptionIsATable() throws {
        let text = try HyperbandSchedule(maxEpochs: 10, factor: 3).description
        #expect(text.contains("per iteration: 30 trials (22 configurations), 120 epochs trained (144 if every trial restarted from epoch 0)"))
        #expect(text.contains("      2      0      12       2     0       24"))
    }
}

import Foundation
import Testing
import Tuning

@Suite struct TuningRandomTests {
    @Test func sameSeedGivesSameSequenceAndDifferentSeedsDiffer() {
        var first = TuningRandom(seed: 42)
        var second = TuningRandom(seed: 42)
        var other = TuningRandom(seed: 43)
        let a = (0..<8).map { _ in first.next() }
        let b = (0..<8).map { _ in second.next() }
        let c = (0..<8).map { _ in other.next() }
        #expect(a == b)
        #expect(a != c)
    }

    @Test func zeroSeedWorks() {
        var random = TuningRandom(seed: 0)
        let values = Set((0..<100).map { _ in random.next() })
        #expect(values.count == 100)
    }

    /// Pins the sequence so an accidental change to the generator (which would change every
    /// stored search's future suggestions) fails loudly.
    @Test func sequenceIsPinned() {
        var random = TuningRandom(seed: 1)
        let pinned = (0..<3).map { _ in random.next() }
        // The reference C implementation of xoshiro256** seeded by SplitMix64(1) gives these.
        #expect(pinned == [0xB3F2_AF6D_0FC7_10C5, 0x853B_5596_4736_4CEA, 0x92F8_9756_082A_4514])
    }

    @Test func nextDoubleIsInUnitIntervalWithSensibleMean() {
        var random = TuningRandom(seed: 7)
        var sum = 0.0
        for _ in 0..<20_000 {
            let value = random.nextDouble()
            #expect(value >= 0 && value < 1)
            sum += value
        }
        #expect(abs(sum / 20_000 - 0.5) < 0.01)
    }

    @Test func nextIntBelowCoversTheRangeEvenly() {
        var random = TuningRandom(seed: 3)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[random.nextInt(below: 6)] += 1 }
        for count in counts { #expect(abs(count - 10_000) < 500) }
    }

    @Test func shuffleIsAPermutationAndDeterministic() {
        var first = TuningRandom(seed: 11)
        var second = TuningRandom(seed: 11)
        var a = Array(0..<50)
        var b = Array(0..<50)
        first.shuffle(&a)
        second.shuffle(&b)
        #expect(a == b)
        #expect(a.sorted() == Array(0..<50))
        #expect(a != Array(0..<50))
    }

    @Test func codableStateResumesTheExactSequence() throws {
        var random = TuningRandom(seed: 99)
        for _ in 0..<17 { _ = random.next() }
        let data = try JSONEncoder().encode(random)
        var restored = try JSONDecoder().decode(TuningRandom.self, from: data)
        #expect((0..<10).map { _ in random.next() } == (0..<10).map { _ in restored.next() })
    }

    @Test func corruptStateIsRefused() {
        let allZero = Data(#"{"state":["0000000000000000","0000000000000000","0000000000000000","0000000000000000"]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TuningRandom.self, from: allZero) }
        let short = Data(#"{"state":["1","2"]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TuningRandom.self, from: short) }
    }
}

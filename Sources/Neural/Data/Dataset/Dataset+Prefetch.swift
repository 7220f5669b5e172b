#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// tf.data's `prefetch`: preparing elements on a background thread while the consumer works.
extension Dataset {
    /// Runs the pipeline before it on a background thread that keeps up to `bufferSize` elements
    /// ready, so that reading and preprocessing overlap with training (tf.data's `prefetch`).
    ///
    /// The elements and their order are those of the dataset without `prefetch`. The thread starts
    /// at the first pull of an iteration. An error in the pipeline reaches the consumer in its place
    /// in the stream. When the consumer stops early (a `break`, `take`, an error downstream) and the
    /// iterator goes away, the thread is told to stop and is joined before the iterator's
    /// deinitialization returns: no thread outlives its iterator (it finishes the element it is
    /// computing first). Random draws made on the thread (an unseeded `shuffle` before the
    /// `prefetch`) come from a stream seeded from ``GlobalRandom`` on the consumer's side, so they are
    /// reproducible under `GlobalRandom.withSeed`. A `bufferSize` below 1 makes an iteration fail with
    /// ``DatasetError/invalidArgument(operation:message:)``.
    public func prefetch(_ bufferSize: Int) -> Dataset {
        guard bufferSize > 0 else {
            return .failing(.invalidArgument(operation: "prefetch", message: "bufferSize must be positive, got \(bufferSize)"))
        }
        let upstream = self
        return Dataset(cardinality: cardinality) {
            let handle = PrefetchHandle(upstream: upstream, capacity: bufferSize)
            return DatasetCursor { () throws(DatasetError) -> Element? in try handle.next() }
        }
    }
}

/// The consumer's side of one prefetching iteration; stops and joins the producer thread when released.
final class PrefetchHandle<Element: Sendable> {
    private let channel: PrefetchChannel<Element>
    private let upstream: Dataset<Element>
    private var thread: ThreadHandle?

    init(upstream: Dataset<Element>, capacity: Int) {
        self.upstream = upstream
        channel = PrefetchChannel(capacity: capacity)
    }

    func next() throws(DatasetError) -> Element? {
        if thread == nil {
            let channel = self.channel, upstream = self.upstream
            let seed = GlobalRandom.withGenerator { $0.next() }
            thread = ThreadHandle.start {
                GlobalRandom.withSeed(seed) { channel.produce(from: upstream) }
            }
            if thread == nil { throw .invalidArgument(operation: "prefetch", message: "could not start a thread") }
        }
        return try channel.take()
    }

    deinit {
        channel.cancel()
        thread?.join()
    }
}

/// A bounded buffer between the producer thread and the consumer, guarded by a mutex and a condition.
final class PrefetchChannel<Element: Sendable>: @unchecked Sendable {
    // All fields below are read and written with `mutex` held.
    private var mutex = pthread_mutex_t()
    private var changed = pthread_cond_t()
    private var buffer: [Result<Element, DatasetError>] = []
    private var head = 0
    private var finished = false
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&changed, nil)
    }

    deinit {
        pthread_cond_destroy(&changed)
        pthread_mutex_destroy(&mutex)
    }

    private var buffered: Int { buffer.count - head }

    /// The producer's loop: pulls from a fresh iteration of `upstream` until its end, an error, or cancellation.
    func produce(from upstream: Dataset<Element>) {
        let cursor = upstream.start()
        while true {
            let item: Result<Element, DatasetError>?
            do throws(DatasetError) {
                item = try cursor.next().map { .success($0) }
            } catch {
                item = .failure(error)
            }
            pthread_mutex_lock(&mutex)
            while buffered >= capacity && !cancelled { pthread_cond_wait(&changed, &mutex) }
            if cancelled {
                pthread_mutex_unlock(&mutex)
                return
            }
            var done = true
            switch item {
            case .some(.success(let element)):
                buffer.append(.success(element))
                done = false
            case .some(.failure(let error)):
                buffer.append(.failure(error))
            case .none:
                break
            }
            if done { finished = true }
            pthread_cond_broadcast(&changed)
            pthread_mutex_unlock(&mutex)
            if done { return }
        }
    }

    /// The next element, waiting for the producer; nil at the end.
    func take() throws(DatasetError) -> Element? {
        pthread_mutex_lock(&mutex)
        while buffered == 0 && !finished { pthread_cond_wait(&changed, &mutex) }
        guard buffered > 0 else {
            pthread_mutex_unlock(&mutex)
            return nil
        }
        let item = buffer[head]
        head += 1
        if head > 64 && head * 2 > buffer.count {
            buffer.removeFirst(head)
            head = 0
        }
        pthread_cond_broadcast(&changed)
        pthread_mutex_unlock(&mutex)
        return try item.get()
    }

    /// Tells the producer to stop at its next hand-over.
    func cancel() {
        pthread_mutex_lock(&mutex)
        cancelled = true
        buffer.removeAll()
        head = 0
        pthread_cond_broadcast(&changed)
        pthread_mutex_unlock(&mutex)
    }
}

/// A joinable POSIX thread running a closure.
final class ThreadHandle {
    #if canImport(Darwin)
    private var thread: pthread_t?
    #else
    private var thread = pthread_t()
    #endif
    private var joined = false

    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    private init() {}

    /// Starts `body` on a new thread; nil when the system refuses one.
    static func start(_ body: @escaping @Sendable () -> Void) -> ThreadHandle? {
        let handle = ThreadHandle()
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        let status = pthread_create(&handle.thread, nil, { raw in
            #if canImport(Darwin)
            let body = Unmanaged<Body>.fromOpaque(raw).takeRetainedValue()
            #else
            guard let raw else { return nil }
            let body = Unmanaged<Body>.fromOpaque(raw).takeRetainedValue()
            #endif
            body.run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return nil
        }
        return handle
    }

    /// Waits for the thread to end (once).
    func join() {
        guard !joined else { return }
        joined = true
        #if canImport(Darwin)
        if let thread { pthread_join(thread, nil) }
        #else
        pthread_join(thread, nil)
        #endif
    }

    deinit { join() }
}

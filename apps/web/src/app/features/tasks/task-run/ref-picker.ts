// A picker for a param that refers to a Taskdeck object (`x-taskdeck-ref`): its options come from
// the API (RefOptions). A dashboard, dataset or database picker follows the environment chosen in
// the same form and waits until there is one. When the options cannot be loaded (e.g. a kind this
// server has no API for yet), the reason shows and a text box takes the value instead.
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  resource,
} from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { errorText } from '../../../core/error-text';
import { RefOptions, type RefOption } from '../../../core/ref-options';
import type { RefKind } from '@taskdeck/contracts';
import type { ParamField } from './params-schema';

interface RefRequest {
  kind: RefKind;
  environmentId: string;
}

@Component({
  selector: 'td-ref-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatInputModule],
  template: `
    <mat-form-field subscriptSizing="dynamic">
      <mat-label>{{ field().label }}</mat-label>
      @if (waiting()) {
        <select matNativeControl disabled [attr.data-testid]="'param-' + field().name">
          <option>Choose {{ environmentLabel() }} first</option>
        </select>
      } @else if (options.error()) {
        <input
          matInput
          [attr.data-testid]="'param-' + field().name"
          [required]="required()"
          [value]="value()"
          [attr.aria-invalid]="invalid()"
          [placeholder]="field().kind === 'ref-list' ? 'comma-separated ids' : 'id'"
          (input)="valueChange.emit($any($event.target).value)"
          (blur)="touched.emit()"
        />
      } @else {
        <select
          matNativeControl
          [attr.data-testid]="'param-' + field().name"
          [attr.data-loaded]="options.hasValue() ? options.value().length : null"
          [multiple]="field().kind === 'ref-list'"
          [required]="required()"
          [disabled]="options.isLoading()"
          [attr.aria-invalid]="invalid()"
          (change)="choose($any($event.target))"
          (blur)="touched.emit()"
        >
          @if (field().kind === 'ref') {
            <option value="" [selected]="!value()">
              {{ options.isLoading() ? 'Loading…' : required() ? 'Choose…' : '(none)' }}
            </option>
          }
          @for (option of loaded(); track option.value) {
            <option [value]="option.value" [selected]="chosen().has(String(option.value))">
              {{ option.label }}
            </option>
          }
        </select>
      }
    </mat-form-field>
    @if (options.error(); as error) {
      <p class="td-error" role="alert" [attr.data-testid]="'options-error-' + field().name">
        The choices could not be loaded: {{ message(error) }}
      </p>
    } @else if (options.hasValue() && loaded().length === 0 && !waiting()) {
      <p class="td-muted" [attr.data-testid]="'options-empty-' + field().name">
        Nothing to choose from.
      </p>
    }
  `,
  styles: `
    mat-form-field {
      width: 100%;
    }
    select[multiple] {
      min-height: 8rem;
    }
    p {
      margin: 0.2rem 0 0 0.25rem;
      font-size: 0.8rem;
    }
  `,
})
export class RefPicker {
  private readonly refOptions = inject(RefOptions);
  protected readonly String = String;

  readonly field = input.required<ParamField>();
  /** The raw value: an option's value, comma-separated for a list. */
  readonly value = input('');
  /** The environment chosen in the field this picker follows, if it follows one. */
  readonly environmentId = input('');
  readonly environmentLabel = input('the environment');
  readonly required = input(false);
  readonly invalid = input(false);
  readonly valueChange = output<string>();
  readonly touched = output();

  /** Follows an environment that is not chosen yet. */
  protected readonly waiting = computed(
    () => !!this.field().ref?.environmentField && !this.environmentId(),
  );

  protected readonly options = resource<RefOption[], RefRequest | undefined>({
    params: () => {
      const ref = this.field().ref;
      if (!ref || this.waiting()) return undefined;
      return { kind: ref.kind, environmentId: ref.environmentField ? this.environmentId() : '' };
    },
    loader: ({ params }) => this.refOptions.load(params.kind, params.environmentId || undefined),
  });

  protected readonly loaded = computed(() => (this.options.hasValue() ? this.options.value() : []));
  protected readonly chosen = computed(
    () =>
      new Set(
        this.value()
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      ),
  );

  protected choose(select: HTMLSelectElement): void {
    const values = [...select.selectedOptions].map((o) => o.value).filter(Boolean);
    this.valueChange.emit(values.join(','));
    this.touched.emit();
  }

  protected message(error: unknown): string {
    return errorText(error);
  }
}
